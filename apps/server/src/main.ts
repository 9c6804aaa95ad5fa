/**
 * @module
 * `pnpm server`: starts the reference MFA server on an embedded SQLite file in the data
 * directory (or PostgreSQL with DATABASE_URL), prints where, and shuts down gracefully on
 * SIGINT/SIGTERM (no new connections; in-flight requests finish; then the database closes).
 */
import { createServer } from 'node:net';
import { Registry, StaticKeyProvider } from '@mfakit/registry';
import { buildServer, LOG_REDACT_PATHS } from './app.js';
import { parseConfig, USAGE, UsageRequest } from './config.js';
import { OutboxNotifier, WebhookNotifier } from './notifiers.js';
import { openDatabase, secretFromEnvOrFile } from './open-database.js';

/** A port the OS reports free on `host` (listened on and released at once). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageRequest) {
      console.log(USAGE);
      return;
    }
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (config.production && config.notifyWebhookUrl === undefined) {
    console.error(
      'Refusing to start in production without a real notifier: set NOTIFY_WEBHOOK_URL to your mail/SMS gateway (recovery codes must reach users, not a development outbox).',
    );
    process.exitCode = 1;
    return;
  }
  if (config.port === 0 && config.publicOrigin === 'http://localhost:0') {
    // Any free port, and pages (and WebAuthn's origin) that name the port actually used.
    const port = await freePort(config.host);
    config = { ...config, port, publicOrigin: `http://localhost:${port}` };
  }
  const database = await openDatabase(config);
  const dataKey = secretFromEnvOrFile(config.dataKey, config.dataDir, 'data-key', 'MFAKIT_DATA_KEY');
  const cookieSecret = Buffer.from(
    secretFromEnvOrFile(process.env.MFAKIT_COOKIE_SECRET, config.dataDir, 'cookie-secret', 'MFAKIT_COOKIE_SECRET'),
  ).toString('base64');
  const now = () => Date.now();
  const origin = new URL(config.publicOrigin);
  const registry = new Registry({
    store: database.registryStore,
    keys: new StaticKeyProvider({ k1: dataKey }, 'k1'),
    notifier:
      config.notifyWebhookUrl === undefined
        ? new OutboxNotifier(database.serverStore, now)
        : new WebhookNotifier(config.notifyWebhookUrl),
    issuer: config.issuer,
    webauthn: { rpId: origin.hostname, origin: config.publicOrigin },
    ...(config.limits.maxFailures === undefined ? {} : { maxFailures: config.limits.maxFailures }),
    ...(config.limits.backoffAfterFailures === undefined
      ? {}
      : { backoffAfterFailures: config.limits.backoffAfterFailures }),
  });
  const app = await buildServer({
    registry,
    store: database.serverStore,
    cookieSecret,
    publicOrigin: config.publicOrigin,
    production: config.production,
    devOutbox: !config.production && config.notifyWebhookUrl === undefined,
    logger: { level: process.env.LOG_LEVEL || 'info', redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
    ...(config.limits.rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute: config.limits.rateLimitPerMinute }),
    ...(config.limits.sensitiveRateLimitPerMinute === undefined
      ? {}
      : { sensitiveRateLimitPerMinute: config.limits.sensitiveRateLimitPerMinute }),
    ...(config.limits.accountAttemptsPer15Min === undefined
      ? {}
      : { accountAttemptsPer15Min: config.limits.accountAttemptsPer15Min }),
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  console.log(`mfakit server listening on http://${config.host}:${port} (public origin ${config.publicOrigin})`);
  console.log(`data: ${database.description}`);
  if (!config.production) console.log(`development outbox: ${config.publicOrigin}/dev/outbox`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: finishing in-flight requests…`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    registry.dispose();
    await database.close();
    console.log('stopped');
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
