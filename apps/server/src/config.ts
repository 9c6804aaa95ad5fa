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
}

export const USAGE = `Usage: pnpm server [--port 3000] [--host 127.0.0.1] [--data-dir DIR] [--public-origin URL] [--production]
Environment: PORT, HOST, MFAKIT_DATA_DIR, PUBLIC_ORIGIN, NODE_ENV=production, DATABASE_URL=postgres://…,
NOTIFY_WEBHOOK_URL (required in production), MFAKIT_DATA_KEY (base64 32-byte key), MFAKIT_ISSUER.`;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  const { values } = parseArgs({
    args: argv,
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
  };
}

export class UsageRequest extends Error {}
