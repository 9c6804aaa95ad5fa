import { TokenSeedFile, VirtualAuthenticator } from '@mfakit/testing';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  addAuthenticator,
  Browser,
  type Harness,
  PASSWORD,
  signUpRoot,
  startServer,
} from './support/server-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

const authenticatorFor = (secret: string) =>
  VirtualAuthenticator.fromUri(`otpauth://totp/Example:x?secret=${secret}&issuer=Example`, { clock: h.world.clock });

test('sign up, enroll with the page secret and two codes, sign out, sign in with MFA, the same code refused', async () => {
  const alice = await signUpRoot(h);
  expect(alice.last?.body).toContain('No MFA device yet');
  const { secret, response } = await addAuthenticator(h, alice);
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(response.statusCode).toBe(303);
  const security = await alice.follow(response);
  expect(security.body).toContain('Your MFA device is enabled.');
  expect(security.body).toMatch(/<td>phone<\/td><td>virtual<\/td>/);

  await alice.post('/sign-out');
  expect((await alice.get('/security')).headers.location).toBe('/sign-in');

  await alice.get('/sign-in');
  const signIn = await alice.post('/sign-in', { email: 'alice@example.com', password: PASSWORD });
  expect(signIn.headers.location).toBe('/sign-in/mfa');
  expect((await alice.get('/security')).headers.location).toBe('/sign-in/mfa'); // password alone is not enough
  await alice.get('/sign-in/mfa');
  const code = authenticatorFor(secret).code();
  const mfa = await alice.post('/sign-in/mfa/code', { code, next: '/security' });
  expect(mfa.statusCode).toBe(303);
  expect((await alice.follow(mfa)).body).toContain('Security credentials');

  // The same code in another sign-in is refused with the one answer every refusal gets.
  const other = new Browser(h.app);
  await other.get('/sign-in');
  await other.post('/sign-in', { email: 'alice@example.com', password: PASSWORD });
  await other.get('/sign-in/mfa');
  const replay = await other.post('/sign-in/mfa/code', { code });
  const wrong = await other.post('/sign-in/mfa/code', { code: '000000' });
  expect(replay.statusCode).toBe(401);
  expect(replay.body).toContain('That code was not accepted.');
  expect(wrong.statusCode).toBe(401);
  const strip = (body: string) => body.replace(/content="[^"]+"|value="[^"]+"/g, '');
  expect(strip(replay.body)).toBe(strip(wrong.body));
});

test('a wrong password and an unknown email answer alike', async () => {
  await signUpRoot(h);
  const browser = new Browser(h.app);
  await browser.get('/sign-in');
  const wrong = await browser.post('/sign-in', { email: 'alice@example.com', password: 'not the password at all' });
  const unknown = await browser.post('/sign-in', { email: 'nobody@example.com', password: 'not the password at all' });
  expect(wrong.statusCode).toBe(401);
  expect(unknown.statusCode).toBe(401);
  expect(wrong.body).toContain('The email or password is wrong.');
  const strip = (body: string) => body.replace(/content="[^"]+"|value="[^"]+"/g, '');
  expect(strip(wrong.body).split('\n')).toEqual(strip(unknown.body).split('\n'));
});

test('recovery codes are shown once and sign in once', async () => {
  const alice = await signUpRoot(h);
  await addAuthenticator(h, alice);
  await alice.get('/security');
  const page = await alice.post('/security/recovery-codes');
  const codes = [...page.body.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1] as string);
  expect(codes).toHaveLength(10);
  const browser = new Browser(h.app);
  await browser.get('/sign-in');
  await browser.post('/sign-in', { email: 'alice@example.com', password: PASSWORD });
  await browser.get('/sign-in/mfa');
  expect((await browser.post('/sign-in/mfa/recovery-code', { code: codes[0] as string })).statusCode).toBe(303);
  const again = new Browser(h.app);
  await again.get('/sign-in');
  await again.post('/sign-in', { email: 'alice@example.com', password: PASSWORD });
  await again.get('/sign-in/mfa');
  expect((await again.post('/sign-in/mfa/recovery-code', { code: codes[0] as string })).statusCode).toBe(401);
});

test('lost every device: codes by email and SMS recover the account, the devices are deactivated', async () => {
  const alice = await signUpRoot(h);
  await addAuthenticator(h, alice);
  const browser = new Browser(h.app);
  await browser.get('/sign-in');
  await browser.post('/sign-in', { email: 'alice@example.com', password: PASSWORD });
  await browser.get('/recover');
  const started = await browser.post('/recover/start');
  expect(started.body).toContain('We sent a code to your email and another to your phone.');
  const sessionId = /name="sessionId" value="([^"]+)"/.exec(started.body)?.[1] as string;
  const userId = (
    await h.world.registry.listUsers((await h.store.loginByEmail('alice@example.com'))?.accountId as string)
  )[0]?.id as string;
  const emailCode = h.world.notifier.lastCode(userId, 'email') as string;
  const phoneCode = h.world.notifier.lastCode(userId, 'phone') as string;
  expect((await browser.post('/recover/complete', { sessionId, emailCode, phoneCode: '00000000' })).statusCode).toBe(
    401,
  );
  const done = await browser.post('/recover/complete', { sessionId, emailCode, phoneCode });
  expect(done.headers.location).toBe('/security?notice=recovered');
  expect((await browser.follow(done)).body).toContain('No MFA device yet');
  expect((await h.world.registry.listDevices(userId)).every((device) => device.state === 'deactivated')).toBe(true);
});

test('a root creates a member who must enroll, then deactivates the member device; audit and report show it', async () => {
  const root = await signUpRoot(h, 'owner');
  await addAuthenticator(h, root);
  await root.get('/admin/users');
  const created = await root.post('/admin/users', {
    name: 'bob',
    email: 'bob@example.com',
    phone: '+14155550101',
    password: 'bob initial passphrase',
    requireMfa: 'yes',
  });
  expect(created.statusCode).toBe(201);
  expect(created.body).toContain('bob can now sign in.');

  const bob = new Browser(h.app);
  await bob.get('/sign-in');
  const signIn = await bob.post('/sign-in', { email: 'bob@example.com', password: 'bob initial passphrase' });
  expect((await bob.follow(signIn)).body).toContain('Your administrator requires MFA');
  await addAuthenticator(h, bob);
  expect((await bob.get('/security')).body).not.toContain('Your administrator requires MFA');
  expect((await bob.get('/admin/users')).statusCode).toBe(403);

  const users = await root.get('/admin/users');
  const action = /action="(\/admin\/users\/[^"]+\/devices\/[^"]+\/deactivate)"/.exec(users.body)?.[1] as string;
  const deactivated = await root.post(action);
  expect(deactivated.statusCode).toBe(200);
  expect(deactivated.body).toContain('The device was deactivated');

  const audit = await root.get('/admin/audit');
  expect(audit.body).toMatch(/Hash chain verified: \d+ records/);
  for (const event of ['account_created', 'device_enabled', 'device_deactivated', 'user_created']) {
    expect(audit.body, event).toContain(`<td>${event}</td>`);
  }
  const report = await root.get('/admin/credential-report.csv');
  expect(report.headers['content-type']).toContain('text/csv');
  expect(report.body.split('\n')[0]).toMatch(/^user,user_id/);
  expect(report.body).toContain('bob');
});

test('a root imports a hardware token seed file; its holder adds it by serial and two codes, then resyncs it', async () => {
  const root = await signUpRoot(h, 'owner');
  await addAuthenticator(h, root);
  await root.get('/admin/users');
  const seed = TokenSeedFile.generate(1, { serialPrefix: 'GALT' });
  const serial = seed.tokens[0]?.serial as string;
  const bad = await root.post('/admin/hardware-tokens', { seeds: `${serial},not-base32!` });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).not.toContain('not-base32');
  const imported = await root.post('/admin/hardware-tokens', { seeds: seed.csv });
  expect(imported.statusCode).toBe(200);
  expect(imported.body).toContain('Imported 1 token.');

  const token = seed.device(serial, { clock: h.world.clock });
  await root.get('/security');
  const wrong = await root.post('/security/hardware', { serial: 'NOPE-1', code1: '123456', code2: '123457' });
  expect(wrong.statusCode).toBe(422);
  expect(wrong.body).toContain('No token with this serial number is available.');
  const [code1, code2] = token.nextCodes(2) as [string, string];
  const added = await root.post('/security/hardware', { serial, code1, code2 });
  expect(added.headers.location).toBe('/security?notice=enabled');
  h.world.clock.nextStep();
  const page = await root.follow(added);
  expect(page.body).toContain(`Token ${serial}`);

  // The token drifts 5 minutes; two consecutive codes resync it.
  token.setDrift(5 * 60_000);
  const action = [...page.body.matchAll(/action="(\/security\/devices\/[^"]+\/resync)"/g)].map((m) => m[1] as string);
  const tokenId = (
    await h.world.registry.listDevices((await h.store.loginByEmail('owner@example.com'))?.userId as string)
  ).find((device) => device.kind === 'hardware')?.id as string;
  const resync = action.find((url) => url.includes(tokenId)) as string;
  const [r1, r2] = token.nextCodes(2) as [string, string];
  const resynced = await root.post(resync, { code1: r1, code2: r2 });
  expect(resynced.headers.location).toBe('/security?notice=resynced');
});
