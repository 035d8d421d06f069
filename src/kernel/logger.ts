import { type Logger, pino } from 'pino';
import type { LogLevel } from '../config.js';

export type { Logger };

/** JSON lines in production; pretty output when a person is watching a terminal. */
export function createLogger(opts: { level: LogLevel; pretty: boolean }): Logger {
  if (opts.pretty) {
    return pino({
      level: opts.level,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({ level: opts.level });
}

export const silentLogger: Logger = pino({ level: 'silent' });
