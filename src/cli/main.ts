import { ConfigError } from '../config.js';
import { AppError } from '../kernel/errors.js';
import { UsageError } from './args.js';
import { commands, type Io } from './commands.js';

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return [
    'Usage: triad <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `triad <command> --help` for details.',
  ].join('\n');
}

/** Runs one CLI invocation; returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`triad: unknown command "${name}"; run triad --help`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}`);
    return 0;
  }
  try {
    await command.run(rest, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`triad ${name}: ${error.message} (see triad ${name} --help)`);
      return 2;
    }
    io.err(`triad ${name}: ${describe(error)}`);
    return 1;
  }
}

function describe(error: unknown): string {
  if (error instanceof ConfigError || error instanceof AppError) return error.message;
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') return `the port is already in use (${err.message})`;
  if (err.code === 'ECONNREFUSED') return `cannot reach the database (${err.message})`;
  return err.message ?? String(error);
}
