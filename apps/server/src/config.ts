/**
 * @module
 * Server settings from flags and environment (flags win): `--port`/`PORT` (3000),
 * `--host`/`HOST` (127.0.0.1), `--data-dir`/`MFAKIT_DATA_DIR` (./.mfakit-server),
 * `--public-origin`/`PUBLIC_ORIGIN` (http://localhost:<port>), `--production`/`NODE_ENV=production`,
 * `DATABASE_URL` (postgres://… selects PostgreSQL), `NOTIFY_WEBHOOK_URL`, `MFAKIT_DATA_KEY`
 * (base64 AES-256 key; otherwise a key file in the data directory).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  publicOrigin: string;
  production: boolean;
  databaseUrl: string | undefined;
  notifyWebhookUrl: string | undefined;
  dataKey: string | undefined;
  issuer: string;
  /**
   * SQLite durability of the registry's commits: `full` (default: an accepted code, a counted
   * failure, a used recovery code survive a power cut) or `normal` (WAL: a power cut may lose the
   * commits since the last checkpoint; a process crash loses nothing). Why FULL: docs/decisions.md.
   */
  sqliteSynchronous: 'full' | 'normal';
  /** Operator policy knobs (registry throttle, rate limits); undefined = the defaults. */
  limits: {
    maxFailures?: number;
    backoffAfterFailures?: number;
    rateLimitPerMinute?: number;
    sensitiveRateLimitPerMinute?: number;
    accountAttemptsPer15Min?: number;
  };
}

function optionalInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export const USAGE = `Usage: pnpm server [--port 3000] [--host 127.0.0.1] [--data-dir DIR] [--public-origin URL] [--production]
Environment: PORT, HOST, MFAKIT_DATA_DIR, PUBLIC_ORIGIN, NODE_ENV=production, DATABASE_URL=postgres://…,
NOTIFY_WEBHOOK_URL (required in production), MFAKIT_DATA_KEY (base64 32-byte key), MFAKIT_ISSUER,
MFAKIT_MAX_FAILURES, MFAKIT_BACKOFF_AFTER_FAILURES (registry throttle), MFAKIT_RATE_LIMIT_PER_MINUTE,
MFAKIT_SENSITIVE_RATE_LIMIT_PER_MINUTE (per IP), MFAKIT_ACCOUNT_ATTEMPTS_PER_15_MIN (per account),
MFAKIT_SQLITE_SYNCHRONOUS=full|normal.`;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  const { values } = parseArgs({
    // `pnpm run server -- --port 0` passes the `--` through: a leading one separates nothing here.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'public-origin': { type: 'string' },
      production: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new UsageRequest();
  const portText = values.port ?? env.PORT ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) throw new RangeError(`--port must be 0-65535, not ${portText}`);
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const publicOrigin = (values['public-origin'] ?? env.PUBLIC_ORIGIN ?? `http://localhost:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\/[^/\s]+$/.test(publicOrigin)) {
    throw new RangeError('--public-origin must be a scheme and host, e.g. https://mfa.example.com');
  }
  return {
    port,
    host,
    dataDir: resolve(values['data-dir'] ?? env.MFAKIT_DATA_DIR ?? '.mfakit-server'),
    publicOrigin,
    production: values.production === true || env.NODE_ENV === 'production',
    databaseUrl: env.DATABASE_URL || undefined,
    notifyWebhookUrl: env.NOTIFY_WEBHOOK_URL || undefined,
    dataKey: env.MFAKIT_DATA_KEY || undefined,
    issuer: env.MFAKIT_ISSUER || 'mfakit server',
    sqliteSynchronous: sqliteSynchronous(env.MFAKIT_SQLITE_SYNCHRONOUS),
    limits: {
      ...defined('maxFailures', optionalInteger(env, 'MFAKIT_MAX_FAILURES', 1, 100)),
      ...defined('backoffAfterFailures', optionalInteger(env, 'MFAKIT_BACKOFF_AFTER_FAILURES', 1, 100)),
      ...defined('rateLimitPerMinute', optionalInteger(env, 'MFAKIT_RATE_LIMIT_PER_MINUTE', 1, 100_000_000)),
      ...defined(
        'sensitiveRateLimitPerMinute',
        optionalInteger(env, 'MFAKIT_SENSITIVE_RATE_LIMIT_PER_MINUTE', 1, 100_000_000),
      ),
      ...defined('accountAttemptsPer15Min', optionalInteger(env, 'MFAKIT_ACCOUNT_ATTEMPTS_PER_15_MIN', 1, 100_000_000)),
    },
  };
}

export class UsageRequest extends Error {}

function sqliteSynchronous(value: string | undefined): 'full' | 'normal' {
  if (value === undefined || value === '' || value === 'full') return 'full';
  if (value === 'normal') return 'normal';
  throw new RangeError('MFAKIT_SQLITE_SYNCHRONOUS must be full or normal');
}

const defined = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;
