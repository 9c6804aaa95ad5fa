/**
 * The reference server on a fake world (memory registry store, fake clock, memory notifier) and
 * an in-memory server store, driven through `inject` by a tiny browser: a cookie jar, the CSRF
 * token read from each page's <meta>, forms posted url-encoded. Every log line is kept.
 */
import { Writable } from 'node:stream';
import { createMfaWorld, type MfaWorld } from '@mfakit/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type BuildServerOptions, buildServer, LOG_REDACT_PATHS } from '../../src/app.js';
import { SqliteServerStore } from '../../src/sqlite-server-store.js';

export interface Harness {
  app: FastifyInstance;
  world: MfaWorld;
  store: SqliteServerStore;
  logs: string[];
  close(): Promise<void>;
}

/** The options every test instance shares (with the harness's registry and store). */
const TEST_INSTANCE = {
  cookieSecret: 'test-cookie-secret-of-enough-length-0123456789',
  publicOrigin: 'https://mfakit.test',
  production: false,
} as const;

export async function startServer(options: Partial<BuildServerOptions> = {}): Promise<Harness> {
  const world = createMfaWorld({ issuer: 'Example' });
  const store = new SqliteServerStore(':memory:');
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const app = await buildServer({
    registry: world.registry,
    store,
    ...TEST_INSTANCE,
    devOutbox: true,
    logger: { level: 'trace', stream, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
    ...options,
  });
  await app.ready();
  return {
    app,
    world,
    store,
    logs,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** Another server instance on the harness's registry and server store (as two processes on one database); close it. */
export function secondInstance(h: Harness): Promise<FastifyInstance> {
  return buildServer({
    registry: h.world.registry,
    store: h.store,
    ...TEST_INSTANCE,
    devOutbox: false,
    logger: false,
  });
}

export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  last: LightMyRequestResponse | undefined;
  constructor(readonly app: FastifyInstance) {}

  #remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      if (
        cookie.value === '' ||
        (cookie.expires !== undefined && cookie.expires.getTime() < Date.now() && cookie.maxAge === undefined)
      ) {
        this.cookies.delete(cookie.name);
      } else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(response.body)?.[1];
    if (token !== undefined) this.csrf = token;
    this.last = response;
    return response;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.#remember(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader } }));
  }

  /** Posts a form with the page's CSRF token (unless `_csrf` is given). */
  async post(url: string, form: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...form }).toString();
    return this.#remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      }),
    );
  }

  async postJson(url: string, body: unknown): Promise<LightMyRequestResponse> {
    return this.#remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader, 'content-type': 'application/json', 'x-csrf-token': this.csrf },
        payload: JSON.stringify(body),
      }),
    );
  }

  /** GET then follow 303s until a page. */
  async follow(response: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    let current = response;
    for (let hops = 0; hops < 5 && current.statusCode >= 300 && current.statusCode < 400; hops++) {
      current = await this.get(current.headers.location as string);
    }
    return current;
  }
}

export const PASSWORD = 'violet staple orbit lantern';

/** Signs up a root user through the pages; ends on /security. */
export async function signUpRoot(h: Harness, name = 'alice', email = `${name}@example.com`): Promise<Browser> {
  const browser = new Browser(h.app);
  await browser.get('/sign-up');
  const answer = await browser.post('/sign-up', { name, email, phone: '+14155550100', password: PASSWORD });
  if (answer.statusCode !== 303) throw new Error(`sign-up answered ${answer.statusCode}`);
  await browser.follow(answer);
  return browser;
}

/** Adds an authenticator app on /security: the secret from the page, two consecutive codes. */
export async function addAuthenticator(
  h: Harness,
  browser: Browser,
): Promise<{ secret: string; response: LightMyRequestResponse }> {
  const { VirtualAuthenticator } = await import('@mfakit/testing');
  await browser.get('/security');
  const page = await browser.post('/security/virtual', { name: 'phone' });
  const secret = (/id="manual-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1] ?? '').replaceAll(' ', '');
  const action = /action="(\/security\/virtual\/[^"]+\/enable)"/.exec(page.body)?.[1] as string;
  const authenticator = VirtualAuthenticator.fromUri(`otpauth://totp/Example:x?secret=${secret}&issuer=Example`, {
    clock: h.world.clock,
  });
  const [code1, code2] = authenticator.nextCodes(2) as [string, string];
  const response = await browser.post(action, { code1, code2 });
  h.world.clock.nextStep();
  return { secret, response };
}
