import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults that run the embedded stack with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      adminToken: undefined,
      logLevel: 'info',
      logPretty: false,
    });
    expect(config.dataDir).toBe(resolve('./data'));
    expect(config.storage).toEqual({ engine: 'sqlite', file: resolve('./data/triad.db') });
  });

  it('switches to PostgreSQL for a postgres:// DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/triad' }).storage).toEqual({
      engine: 'postgres',
      url: 'postgres://u@db:5432/triad',
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/triad' }).storage.engine).toBe('postgres');
  });

  it('puts the SQLite file in TRIAD_DATA_DIR', () => {
    expect(loadConfig({ TRIAD_DATA_DIR: '/var/lib/triad' }).storage).toEqual({
      engine: 'sqlite',
      file: '/var/lib/triad/triad.db',
    });
  });

  it('pretty logs follow the terminal unless TRIAD_LOG_FORMAT says otherwise', () => {
    expect(loadConfig({}, { isTty: true }).logPretty).toBe(true);
    expect(loadConfig({ TRIAD_LOG_FORMAT: 'json' }, { isTty: true }).logPretty).toBe(false);
    expect(loadConfig({ TRIAD_LOG_FORMAT: 'pretty' }, { isTty: false }).logPretty).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with'],
    [{ DATABASE_URL: 'postgres://' + '%zz@' }, 'not a valid URL'],
    [{ TRIAD_ADMIN_TOKEN: 'short' }, 'at least 16 characters'],
    [{ TRIAD_LOG_LEVEL: 'loud' }, 'TRIAD_LOG_LEVEL must be one of'],
    [{ TRIAD_LOG_FORMAT: 'xml' }, 'TRIAD_LOG_FORMAT must be'],
    [{ TRIAD_BODY_LIMIT_BYTES: '10' }, 'TRIAD_BODY_LIMIT_BYTES'],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
