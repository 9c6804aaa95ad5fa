import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildServer } from '../src/app.js';
import { passwordProblem } from '../src/passwords.js';
import { SqliteServerStore } from '../src/sqlite-server-store.js';
import {
  addAuthenticator,
  Browser,
  type Harness,
  PASSWORD,
  secondInstance,
  signUpRoot,
  startServer,
} from './support/server-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer({ accountAttemptsPer15Min: 8 });
});
afterEach(async () => {
  await h.close();
});

/** A 4xx page with the message, and nothing that looks like a stack or an internal path. */
function expectCleanRefusal(response: { statusCode: number; body: string }, status: number, message?: RegExp) {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
  expect(response.body).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|stack/i);
  if (message) expect(response.body).toMatch(message);
}

describe('CSRF', () => {
  test('a form without the token, with a forged token or from another browser is refused (403)', async () => {
    const browser = new Browser(h.app);
    await browser.get('/sign-in');
    expectCleanRefusal(
      await browser.post('/sign-in', { _csrf: '', email: 'a@example.com', password: PASSWORD }),
      403,
      /form expired/,
    );
    expectCleanRefusal(
      await browser.post('/sign-in', { _csrf: 'forged', email: 'a@example.com', password: PASSWORD }),
      403,
    );
    const attacker = new Browser(h.app);
    await attacker.get('/sign-in');
    expectCleanRefusal(
      await browser.post('/sign-in', { _csrf: attacker.csrf, email: 'a@example.com', password: PASSWORD }),
      403,
    );
    const noCookie = await h.app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${browser.csrf}`,
    });
    expect(noCookie.statusCode).toBe(403);
  });

  test('the JSON MFA routes need the token in x-csrf-token', async () => {
    const alice = await signUpRoot(h);
    const without = await h.app.inject({
      method: 'POST',
      url: '/mfa/recovery-codes',
      headers: { cookie: alice.cookieHeader, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(without.statusCode).toBe(403);
    expect((await alice.postJson('/mfa/recovery-codes', {})).statusCode).toBe(201);
  });
});

describe('security headers', () => {
  const CSP =
    "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none';upgrade-insecure-requests";
  const EXPECTED = {
    'content-security-policy': CSP,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };

  test('every answer carries them: pages, JSON, errors, refusals, static files', async () => {
    const alice = await signUpRoot(h);
    const answers = {
      page: await h.app.inject({ url: '/sign-in' }),
      notFound: await h.app.inject({ url: '/no-such-page' }),
      json: await alice.postJson('/mfa/sign-in/code', { code: '000000' }),
      csrfRefused: await h.app.inject({
        method: 'POST',
        url: '/mfa/sign-in/code',
        headers: { 'content-type': 'application/json' },
        payload: '{"code":"000000"}',
      }),
      badJson: await alice.postJson('/mfa/sign-in/code', { code: 'x' }),
      staticFile: await h.app.inject({ url: '/static/style.css' }),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.headers, name).toMatchObject(EXPECTED);
    }
    expect(answers.json.headers['cache-control']).toBe('no-store');
    expect(answers.csrfRefused.statusCode).toBe(403);
  });

  test('no HSTS and no upgrade-insecure-requests on a plain-http origin', async () => {
    const plain = await startServer({ publicOrigin: 'http://localhost:3000' });
    try {
      const answer = await plain.app.inject({ url: '/sign-in' });
      expect(answer.headers['strict-transport-security']).toBeUndefined();
      expect(answer.headers['content-security-policy']).toBe(CSP.replace(';upgrade-insecure-requests', ''));
      expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
    } finally {
      await plain.close();
    }
  });
});

describe('sessions', () => {
  test('cookies are httpOnly, SameSite=Lax and Secure behind https, and rotate at sign-in and at the MFA step', async () => {
    const alice = await signUpRoot(h);
    const { secret } = await addAuthenticator(h, alice);
    const browser = new Browser(h.app);
    await browser.get('/sign-in');
    const signIn = await browser.post('/sign-in', { email: 'alice@example.com', password: PASSWORD });
    const header = ([] as string[])
      .concat(signIn.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('mfakit_session='));
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).toMatch(/Secure/);
    const afterPassword = browser.cookies.get('mfakit_session');
    const { VirtualAuthenticator } = await import('@mfakit/testing');
    const code = VirtualAuthenticator.fromUri(`otpauth://totp/E:x?secret=${secret}`, { clock: h.world.clock }).code();
    await browser.get('/sign-in/mfa');
    await browser.post('/sign-in/mfa/code', { code });
    const afterMfa = browser.cookies.get('mfakit_session');
    expect(afterPassword).toBeDefined();
    expect(afterMfa).toBeDefined();
    expect(afterMfa).not.toBe(afterPassword);
    // The old id is dead on the server, not only replaced in this browser.
    const stale = await h.app.inject({
      method: 'GET',
      url: '/security',
      headers: { cookie: `mfakit_session=${afterPassword}` },
    });
    expect(stale.headers.location).toBe('/sign-in');
  });

  test('idle timeout (30 min) and absolute timeout (12 h)', async () => {
    const alice = await signUpRoot(h);
    expect((await alice.get('/security')).statusCode).toBe(200);
    h.world.clock.advance(29 * 60_000);
    expect((await alice.get('/security')).statusCode).toBe(200);
    h.world.clock.advance(31 * 60_000);
    expect((await alice.get('/security')).headers.location).toBe('/sign-in');

    const bob = await signUpRoot(h, 'bob');
    for (let half = 0; half < 15; half++) {
      // 15 × 50 min = 12.5 h, never idle for 30 min
      h.world.clock.advance(25 * 60_000);
      await bob.get('/security');
      h.world.clock.advance(25 * 60_000);
      await bob.get('/security');
    }
    expect((await bob.get('/security')).headers.location).toBe('/sign-in');
  });

  test('removing a device needs an MFA check in the last 5 minutes (step-up)', async () => {
    const alice = await signUpRoot(h);
    await addAuthenticator(h, alice);
    h.world.clock.advance(301_000);
    const page = await alice.get('/security');
    const action = /action="(\/security\/devices\/[^"]+\/remove)"/.exec(page.body)?.[1] as string;
    const stepUp = await alice.post(action);
    expect(stepUp.statusCode).toBe(303);
    expect(stepUp.headers.location).toBe('/sign-in/mfa?next=%2Fsecurity');
    expect((await alice.get('/sign-in/mfa?next=%2Fsecurity')).body).toContain('This action needs a fresh MFA check.');
  });
});

describe('rate limits', () => {
  test('per account: the 9th sign-in attempt on one email in 15 minutes is refused, even with the right password', async () => {
    await signUpRoot(h);
    const browser = new Browser(h.app);
    await browser.get('/sign-in');
    for (let i = 0; i < 8; i++)
      await browser.post('/sign-in', { email: 'alice@example.com', password: `wrong password ${i}` });
    const ninth = await browser.post('/sign-in', { email: 'alice@example.com', password: PASSWORD });
    expectCleanRefusal(ninth, 429, /Too many sign-in attempts/);
    h.world.clock.advance(15 * 60_000);
    expect((await browser.post('/sign-in', { email: 'alice@example.com', password: PASSWORD })).statusCode).toBe(303);
  });

  test('per IP on sign-in: counted in the database, so two instances share the 20 a minute', async () => {
    const other = await secondInstance(h);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        const browser = new Browser(i % 2 === 0 ? h.app : other);
        await browser.get('/sign-in');
        statuses.push(
          (await browser.post('/sign-in', { email: `user${i}@example.com`, password: 'some password here' }))
            .statusCode,
        );
      }
      expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
      expect(statuses[20]).toBe(429);
    } finally {
      await other.close();
    }
  });

  test('per IP on the JSON MFA step too: counted in the database, two instances share the 20 a minute', async () => {
    const alice = await signUpRoot(h);
    await addAuthenticator(h, alice);
    const other = await secondInstance(h);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        const answer = await (i % 2 === 0 ? h.app : other).inject({
          method: 'POST',
          url: '/mfa/sign-in/code',
          headers: { cookie: alice.cookieHeader, 'content-type': 'application/json', 'x-csrf-token': alice.csrf },
          payload: '{"code":"000000"}',
        });
        statuses.push(answer.statusCode);
      }
      expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
      expect(statuses[20]).toBe(429);
    } finally {
      await other.close();
    }
  });

  test('per IP: 20 sign-in posts a minute, then 429 with Retry-After', async () => {
    const browser = new Browser(h.app);
    await browser.get('/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push(
        (await browser.post('/sign-in', { email: `user${i}@example.com`, password: 'some password here' })).statusCode,
      );
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect(browser.last?.headers['retry-after']).toBeDefined();
  });
});

describe('bad input: 4xx with a clear message, never a 500', () => {
  test('missing fields, oversized bodies, wrong content types, unicode tricks', async () => {
    const browser = new Browser(h.app);
    await browser.get('/sign-up');
    expectCleanRefusal(await browser.post('/sign-up', { name: 'x', email: 'x@example.com' }), 400, /phone|password/);
    expectCleanRefusal(
      await browser.post('/sign-up', {
        name: 'x',
        email: 'x@example.com',
        phone: '+14155550100',
        password: 'p'.repeat(10_000),
      }),
      413,
      /too large/,
    );
    const asText = await h.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: browser.cookieHeader, 'content-type': 'text/plain' },
      payload: 'email=a',
    });
    expectCleanRefusal(asText, 415);
    const badJson = await h.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: browser.cookieHeader, 'content-type': 'application/json', 'x-csrf-token': browser.csrf },
      payload: '{"email": "a@example.com", "password": "hunter2hunter2" oops',
    });
    expectCleanRefusal(badJson, 415); // pages take forms only; JSON is for /mfa
    expect(badJson.body).not.toContain('hunter2');
    for (const name of ['evil\u202eexe', 'zero\u200bwidth', 'bell\u0007']) {
      const answer = await browser.post('/sign-up', {
        name,
        email: `u${name.length}@example.com`,
        phone: '+14155550100',
        password: PASSWORD,
      });
      expect(answer.statusCode, JSON.stringify(name)).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode).toBeLessThan(500);
    }
    expectCleanRefusal(
      await browser.post('/sign-up', { name: 'x', email: 'not-an-email', phone: '+14155550100', password: PASSWORD }),
      400,
      /email/,
    );
    expectCleanRefusal(
      await browser.post('/sign-up', { name: 'x', email: 'x@example.com', phone: '555-CALL-ME', password: PASSWORD }),
      400,
      /phone/,
    );
    const alice = await signUpRoot(h);
    expectCleanRefusal(await alice.post('/security/devices/%00%2F..%2F/remove'), 400);
    expectCleanRefusal(
      await alice.post('/security/virtual/dev_nope/enable', { code1: '１２３４５６', code2: '123456' }),
      404,
    );
    expectCleanRefusal(await alice.post('/security/virtual', { name: 'phone\u202e' }), 400, /visible text/);
    expectCleanRefusal(await alice.get('/no/such/page'), 404, /There is no page at this address/);
  });

  test('password rules (NIST SP 800-63B): length 8–128, common passwords refused, no composition rules', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('password123')).toMatch(/common/);
    expect(passwordProblem('Password123!')).toMatch(/common/);
    expect(passwordProblem('qwertyuiop')).toMatch(/common/);
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/more than one/);
    expect(passwordProblem('alice@example.com', { email: 'alice@example.com' })).toMatch(/email/);
    expect(passwordProblem('all lower case words are fine')).toBeUndefined();
    expect(passwordProblem('the quick brown fox jumps over the lazy dog and keeps running on')).toBeUndefined(); // 64 characters allowed
    expect(passwordProblem(`${'é'.repeat(100)}ab`)).toBeUndefined(); // counted in code points
    expect(passwordProblem('x'.repeat(129))).toMatch(/at most 128/);
  });
});

test('no password, secret, code or recovery code reaches the log (trace level)', async () => {
  const alice = await signUpRoot(h);
  const { secret } = await addAuthenticator(h, alice);
  const { VirtualAuthenticator } = await import('@mfakit/testing');
  const code = VirtualAuthenticator.fromUri(`otpauth://totp/E:x?secret=${secret}`, { clock: h.world.clock }).code();
  await alice.get('/security');
  const page = await alice.post('/security/recovery-codes');
  const codes = [...page.body.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1] as string);
  const browser = new Browser(h.app);
  await browser.get('/sign-in');
  await browser.post('/sign-in', { email: 'alice@example.com', password: PASSWORD });
  await browser.get('/sign-in/mfa');
  await browser.post('/sign-in/mfa/code', { code });
  await browser.post('/sign-in/mfa/recovery-code', { code: codes[0] as string });
  await h.app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: browser.cookieHeader, 'content-type': 'application/json', 'x-csrf-token': browser.csrf },
    payload: `{"email":"alice@example.com","password":"${PASSWORD}" broken`,
  });
  const log = h.logs.join('');
  expect(h.logs.length).toBeGreaterThan(10);
  expect(log).toContain('/sign-in/mfa/code');
  // One line per answered request: method, URL, status and time.
  const completed = h.logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request completed');
  expect(completed.length).toBeGreaterThan(10);
  expect(completed.find((line) => line.req?.url === '/sign-in/mfa/code')).toMatchObject({
    req: { method: 'POST' },
    res: { statusCode: 303 },
    responseTime: expect.any(Number),
  });
  for (const canary of [
    PASSWORD,
    encodeURIComponent(PASSWORD),
    secret,
    code,
    ...codes,
    browser.cookies.get('mfakit_session') as string,
  ]) {
    expect(log.includes(canary), `a canary of ${canary.length} characters is in the log`).toBe(false);
  }
});

test('production: the development outbox cannot be enabled, and the server refuses to start without a notifier', async () => {
  const store = new SqliteServerStore(':memory:');
  await expect(
    buildServer({
      registry: h.world.registry,
      store,
      cookieSecret: 'x'.repeat(32),
      publicOrigin: 'https://a.test',
      production: true,
      devOutbox: true,
    }),
  ).rejects.toThrow(/outbox/);
  await store.close();
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const run = spawnSync(
    process.execPath,
    ['--conditions=@mfakit/source', '--import', 'tsx', main, '--data-dir', '/nonexistent/never-created'],
    {
      env: { ...process.env, NODE_ENV: 'production', NOTIFY_WEBHOOK_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/Refusing to start in production without a real notifier/);
});

test('health and readiness', async () => {
  expect((await h.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
  expect((await h.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  await h.store.close();
  expect((await h.app.inject({ url: '/readyz' })).statusCode).toBe(503);
  h.store = new SqliteServerStore(':memory:');
});
