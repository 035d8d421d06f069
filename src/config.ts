import { isAbsolute, resolve } from 'node:path';

/** Every setting Triad reads from its environment, parsed and validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite` unless DATABASE_URL is a postgres:// URL. */
  storage: StorageConfig;
  /** When set, a bootstrap admin API token with exactly this value exists. */
  adminToken: string | undefined;
  logLevel: LogLevel;
  /** Pretty, human-readable logs (a terminal) instead of JSON lines (production). */
  logPretty: boolean;
  /** Largest request body accepted by the management API, in bytes. */
  bodyLimitBytes: number;
  /** HTTP worker processes `triad start` runs on the one port (1: a single process). */
  httpWorkers: number;
  collect: CollectConfig;
  dmp: DmpConfig;
  crm: CrmConfig;
}

export interface DmpConfig {
  /** The DMP's own domain: the `user.data[].name` it writes and the `user.eids[].source` it reads. */
  domain: string;
  /** Triad's IAB Global Vendor List ID; undefined skips vendor-level TCF checks. */
  tcfVendorId: number | undefined;
  /** Days without a signal after which an ID and everything keyed by it is purged. */
  idTtlDays: number;
  /** Default lifetime of a trait qualification, in days. */
  traitTtlDays: number;
  /** Segments, counts and exports smaller than this are suppressed (k-anonymity floor). */
  minSegmentSize: number;
  /** What to do with a signal value that looks like personal data. */
  piiMode: 'reject' | 'drop';
  /** Redis for hot ID -> segment lookups; unset keeps them in process over the store. */
  redisUrl: string | undefined;
}

export interface CrmConfig {
  /** SMTP server for one-to-one e-mail (smtp://user:pass@host:port); unset disables sending. */
  smtpUrl: string | undefined;
}

export interface CollectConfig {
  /** Largest collection request, compressed and decompressed alike (Segment: 500 KB). */
  maxRequestBytes: number;
  /** Proxies (IPs or CIDRs) whose X-Forwarded-For is believed when finding the client IP. */
  trustedProxies: string[];
  /** Events waiting for their commit above which collection answers 429 (backpressure). */
  maxPendingEvents: number;
}

export type StorageConfig =
  | { engine: 'sqlite'; file: string }
  | { engine: 'postgres'; url: string };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const logLevels: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/** A configuration problem found at start-up; the CLI prints its message as one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, opts: { isTty?: boolean } = {}): Config {
  const dataDir = absolute(nonEmpty(env.TRIAD_DATA_DIR) ?? './data');
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  const logLevel = (nonEmpty(env.TRIAD_LOG_LEVEL) ?? 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError(
      `TRIAD_LOG_LEVEL must be one of ${logLevels.join(', ')}; got "${logLevel}"`,
    );
  }
  const adminToken = nonEmpty(env.TRIAD_ADMIN_TOKEN);
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('TRIAD_ADMIN_TOKEN must be at least 16 characters long');
  }
  const logFormat = nonEmpty(env.TRIAD_LOG_FORMAT);
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty') {
    throw new ConfigError(`TRIAD_LOG_FORMAT must be "json" or "pretty"; got "${logFormat}"`);
  }
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    dataDir,
    storage: storageFrom(databaseUrl, dataDir),
    adminToken,
    logLevel,
    logPretty: logFormat === undefined ? (opts.isTty ?? false) : logFormat === 'pretty',
    bodyLimitBytes: integer(env, 'TRIAD_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    httpWorkers: integer(env, 'TRIAD_HTTP_WORKERS', 1, 1, 64),
    collect: {
      maxRequestBytes: integer(
        env,
        'TRIAD_COLLECT_MAX_REQUEST_BYTES',
        500 * 1024,
        1024,
        64 * 1024 * 1024,
      ),
      trustedProxies: list(env.TRIAD_TRUSTED_PROXIES),
      maxPendingEvents: integer(env, 'TRIAD_COLLECT_MAX_PENDING_EVENTS', 100_000, 100, 10_000_000),
    },
    dmp: {
      domain: nonEmpty(env.TRIAD_DMP_DOMAIN) ?? 'triad.localhost',
      tcfVendorId: optionalInteger(env, 'TRIAD_TCF_VENDOR_ID', 1, 65535),
      idTtlDays: integer(env, 'TRIAD_DMP_ID_TTL_DAYS', 120, 1, 3650),
      traitTtlDays: integer(env, 'TRIAD_DMP_TRAIT_TTL_DAYS', 120, 1, 3650),
      minSegmentSize: integer(env, 'TRIAD_DMP_MIN_SEGMENT_SIZE', 100, 1, 1_000_000),
      piiMode: oneOf(env, 'TRIAD_DMP_PII_MODE', ['reject', 'drop'] as const, 'reject'),
      redisUrl: nonEmpty(env.TRIAD_REDIS_URL),
    },
    crm: { smtpUrl: nonEmpty(env.TRIAD_SMTP_URL) },
  };
}

function storageFrom(databaseUrl: string | undefined, dataDir: string): StorageConfig {
  if (databaseUrl === undefined) return { engine: 'sqlite', file: resolve(dataDir, 'triad.db') };
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    try {
      new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid URL');
    }
    return { engine: 'postgres', url: databaseUrl };
  }
  if (databaseUrl.startsWith('sqlite:')) {
    return { engine: 'sqlite', file: absolute(databaseUrl.slice('sqlite:'.length)) };
  }
  throw new ConfigError('DATABASE_URL must start with postgres://, postgresql:// or sqlite:');
}

/**
 * Connection strings of the real services the test suite may use. Tests that need one skip
 * (loudly) when it is unset; `.ci/run` always sets them.
 */
export function testServiceUrls(env: Env = process.env): {
  postgres: string | undefined;
  redis: string | undefined;
  nats: string | undefined;
} {
  return {
    postgres: nonEmpty(env.TEST_DATABASE_URL),
    redis: nonEmpty(env.TEST_REDIS_URL),
    nats: nonEmpty(env.TEST_NATS_URL),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function optionalInteger(env: Env, name: string, min: number, max: number): number | undefined {
  return nonEmpty(env[name]) === undefined ? undefined : integer(env, name, 0, min, max);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}; got "${raw}"`);
  }
  return raw as T;
}

/** The DMP settings used when nothing is configured (tests start from these). */
export const defaultDmpConfig: DmpConfig = {
  domain: 'triad.localhost',
  tcfVendorId: undefined,
  idTtlDays: 120,
  traitTtlDays: 120,
  minSegmentSize: 100,
  piiMode: 'reject',
  redisUrl: undefined,
};

/** The collection settings used when nothing is configured (tests start from these). */
export const defaultCollectConfig: CollectConfig = {
  maxRequestBytes: 500 * 1024,
  trustedProxies: [],
  maxPendingEvents: 100_000,
};

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}
