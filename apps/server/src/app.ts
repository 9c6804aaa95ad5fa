/**
 * @module
 * `buildServer(options)`: the reference MFA server as a Fastify instance, on a `Registry` and a
 * `ServerStore` the caller opened (main.ts opens them from the data directory or DATABASE_URL;
 * tests pass in-memory ones). Security headers (strict CSP, no inline script), CSRF tokens on
 * every unsafe request, per-IP rate limits, pino with redaction, HTML error pages that never
 * show a stack, health and readiness probes, and the @mfakit/fastify JSON routes under /mfa.
 */
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { createMfa, errorAnswer, MFA_LOG_REDACT_PATHS } from '@mfakit/fastify';
import type { Registry } from '@mfakit/registry';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { Redirect, renderPage, type ServerContext, viewer } from './context.js';
import { html, when } from './html.js';
import { rateLimitStore } from './rate-limit-store.js';
import { adminRoutes } from './routes-admin.js';
import { authRoutes } from './routes-auth.js';
import { recoveryRoutes } from './routes-recovery.js';
import { securityRoutes } from './routes-security.js';
import { securityHeaders } from './security-headers.js';
import type { ServerStore } from './server-store.js';
import { Sessions } from './sessions.js';

export interface BuildServerOptions {
  registry: Registry;
  store: ServerStore;
  /** Secret that signs the CSRF cookie (32+ random bytes, the same on every instance). */
  cookieSecret: string;
  publicOrigin: string;
  production: boolean;
  /** Show /dev/outbox (development only; refused in production). */
  devOutbox: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Requests per minute per IP on all routes. Default 600. */
  rateLimitPerMinute?: number;
  /** Sign-in, MFA and recovery posts per minute per IP. Default 20. */
  sensitiveRateLimitPerMinute?: number;
  /** Sign-in, MFA and recovery attempts per account per 15 minutes, across instances. Default 30. */
  accountAttemptsPer15Min?: number;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
}

const STATIC: Record<string, [string, string]> = {
  'style.css': ['text/css; charset=utf-8', readFileSync(new URL('../public/style.css', import.meta.url), 'utf8')],
  'security-key.js': [
    'text/javascript; charset=utf-8',
    readFileSync(new URL('../public/security-key.js', import.meta.url), 'utf8'),
  ],
};

/** @fastify/mfakit's routes that take a code, a key's assertion or start a recovery. */
const SENSITIVE_MFA_ROUTES = /^\/mfa\/(sign-in\/(code|recovery-code|security-key\/finish)|recovery\/(start|complete))$/;

/** Fastify logs each request twice (on arrival and when answered); once, when answered, says it all. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

export const LOG_REDACT_PATHS = [...MFA_LOG_REDACT_PATHS, 'req.headers["x-csrf-token"]'];

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  if (options.production && options.devOutbox) throw new Error('The development outbox cannot run in production');
  const app = Fastify({
    logger: options.logger ?? { level: 'info', redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
    bodyLimit: 65_536,
    trustProxy: options.production,
    return503OnClosing: true,
    logController: new OneLinePerRequest(),
    forceCloseConnections: false,
    routerOptions: { maxParamLength: 200 },
  });
  const { registry, store } = options;
  const now = () => registry.config.clock.now();
  const secureCookies = options.publicOrigin.startsWith('https://');
  const sessions = new Sessions(store, {
    idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000,
    absoluteTimeoutMs: options.absoluteTimeoutMs ?? 12 * 3_600_000,
    secureCookies,
    now,
  });

  const mfa = createMfa({
    registry,
    session: {
      userId: async (request) => (await sessions.load(request))?.userId,
      mfaAt: async (request) => (await sessions.load(request))?.mfaAt ?? undefined,
      mfaPassed: async (request, reply, passed) => {
        await sessions.start(request, reply, { userId: passed.userId, stage: 'full', mfaAt: passed.at });
      },
    },
  });
  const context: ServerContext = {
    registry,
    store,
    sessions,
    mfa,
    production: options.production,
    accountLimit: { max: options.accountAttemptsPer15Min ?? 30, windowMs: 15 * 60_000 },
    sensitivePerMinute: options.sensitiveRateLimitPerMinute ?? 20,
  };

  // Pages take url-encoded forms only (@fastify/formbody); the /mfa routes parse their own JSON.
  app.removeAllContentTypeParsers();
  await app.register(cookie, { secret: options.cookieSecret });
  await app.register(formbody, { bodyLimit: 8_192 });
  const headers = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: secureCookies,
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(csrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'mfakit_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/' },
  });
  // The plugin's MFA step and recovery posts get the pages' per-IP limit (counted in the
  // database, shared by instances): set before @fastify/rate-limit's own onRoute hook reads it.
  app.addHook('onRoute', (route) => {
    if (route.method === 'POST' && SENSITIVE_MFA_ROUTES.test(route.url)) {
      route.config = Object.assign(route.config ?? {}, {
        rateLimit: { max: context.sensitivePerMinute, timeWindow: '1 minute' },
      });
    }
  });
  await app.register(rateLimit, {
    store: rateLimitStore(store, now),
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, limit) => ({
      statusCode: 429,
      error: 'rate_limited',
      message: `Too many requests; try again in ${Math.ceil(limit.ttl / 1000)} s`,
    }),
  });
  await app.register(swagger, {
    openapi: { info: { title: 'mfakit reference server: MFA API', version: '0.1.0' } },
  });

  // CSRF on every unsafe request, forms and JSON alike (token in `_csrf` or `x-csrf-token`).
  app.addHook('preValidation', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    app.csrfProtection(request, reply, done);
  });

  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof Redirect) return reply.redirect(error.location, 303);
    const code = (error as { code?: unknown }).code;
    let answer = errorAnswer(error);
    if (typeof code === 'string' && code.startsWith('FST_CSRF')) {
      answer = {
        status: 403,
        body: { error: 'csrf', message: 'This form expired or came from another site. Reload the page and try again.' },
      };
    } else if ((error as { statusCode?: number }).statusCode === 429) {
      answer = {
        status: 429,
        body: { error: 'rate_limited', message: 'Too many requests; wait a minute and try again.' },
      };
    } else if ((error as { statusCode?: number }).statusCode === 403 && answer.body.error === 'invalid_request') {
      answer = { status: 403, body: { error: 'forbidden', message: (error as Error).message } };
    }
    if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
    if (answer.headers) reply.headers(answer.headers);
    if (request.url.startsWith('/mfa/') || request.headers.accept === 'application/json') {
      return reply.code(answer.status).send(answer.body);
    }
    return renderPage(
      reply,
      await viewer(context, request).catch(() => undefined),
      { title: 'Something went wrong', error: answer.body.message },
      html`<p><a href="/">Back to the start</a></p>`,
      answer.status,
    );
  });

  app.setNotFoundHandler(async (request, reply) =>
    renderPage(
      reply,
      await viewer(context, request).catch(() => undefined),
      { title: 'Page not found', error: `There is no page at this address.` },
      html`<p><a href="/">Back to the start</a></p>`,
      404,
    ),
  );

  await app.register(mfa.routes, { prefix: '/mfa' });
  authRoutes(app, context);
  securityRoutes(app, context);
  recoveryRoutes(app, context);
  adminRoutes(app, context);

  app.get<{ Params: { file: string } }>('/static/:file', { config: { rateLimit: false } }, async (request, reply) => {
    const entry = STATIC[request.params.file];
    if (entry === undefined) return reply.callNotFound();
    return reply.type(entry[0]).header('cache-control', 'public, max-age=300').send(entry[1]);
  });

  app.get('/favicon.ico', { config: { rateLimit: false }, logLevel: 'warn' }, async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  );
  app.get('/healthz', { config: { rateLimit: false }, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { rateLimit: false }, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await store.ping();
      await registry.getUser('readiness-probe');
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/openapi.json', async () => app.swagger());

  if (options.devOutbox) {
    app.get('/dev/outbox', async (request, reply) => {
      const messages = await store.listOutbox(50);
      return renderPage(
        reply,
        await viewer(context, request),
        {
          title: 'Development outbox',
          notice: 'Email and SMS messages the server would have sent (development mode only).',
        },
        html`<table><caption>Latest messages</caption><thead><tr><th scope="col">Time</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Text</th></tr></thead>
<tbody>${messages.map((message) => html`<tr><td>${when(message.at)}</td><td>${message.channel}</td><td>${message.to}</td><td>${message.subject}</td><td class="message">${message.text}</td></tr>`)}</tbody></table>`,
      );
    });
  }
  const sweep = setInterval(() => void sessions.sweep().catch(() => undefined), 10 * 60_000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));
  return app;
}
