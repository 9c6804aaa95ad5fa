import { signUp, TokenSeedFile, VirtualSecurityKey, WORLD_RELYING_PARTY } from '@mfakit/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createMfaTestApp, enrollOverHttp, type MfaTestApp } from './support/mfa-app.js';

let t: MfaTestApp;
beforeEach(async () => {
  t = await createMfaTestApp();
});
afterEach(async () => {
  await t.close();
});

async function alice() {
  const user = await signUp(t.world, { name: 'alice', kind: 'root' });
  return { user, sid: t.signInByPassword(user) };
}

describe('virtual devices', () => {
  test('create answers the URI, secret and a QR SVG; two codes enable it; the list shows it without secrets', async () => {
    const { sid } = await alice();
    const created = await t.post('/mfa/devices/virtual', sid, { name: 'phone' });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const body = created.json();
    expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Example:alice\?/);
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const listed = await t.app.inject({ method: 'GET', url: '/mfa/devices', headers: { 'x-session': sid } });
    expect(listed.json().devices).toEqual([expect.objectContaining({ id: body.deviceId, state: 'pending' })]);
    expect(listed.body).not.toContain(body.secret);
  });

  test('enable: wrong codes 422 { ok: false }; right codes 200, the session passes MFA (rotated)', async () => {
    const { sid } = await alice();
    const created = (await t.post('/mfa/devices/virtual', sid, { name: 'phone' })).json();
    const wrong = await t.post(`/mfa/devices/${created.deviceId}/enable`, sid, { code1: '000000', code2: '000001' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toEqual({ ok: false });
    const { VirtualAuthenticator } = await import('@mfakit/testing');
    const [code1, code2] = VirtualAuthenticator.fromUri(created.otpauthUri, { clock: t.world.clock }).nextCodes(2);
    const ok = await t.post(`/mfa/devices/${created.deviceId}/enable`, sid, { code1, code2 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, deviceId: created.deviceId });
    const rotated = ok.headers['x-session'] as string;
    expect(rotated).not.toBe(sid);
    expect(t.sessions.get(rotated)?.mfaAt).toBe(t.world.clock.now());
  });

  test('a second device needs a recent MFA check; an old one is refused with 403 mfa_required', async () => {
    const { user } = await alice();
    const first = await enrollOverHttp(t, t.signInByPassword(user));
    const passwordOnly = t.signInByPassword(user);
    const refused = await t.post('/mfa/devices/virtual', passwordOnly, { name: 'tablet' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('mfa_required');
    expect((await t.post('/mfa/devices/virtual', first.sid, { name: 'tablet' })).statusCode).toBe(201);
    t.world.clock.advance(901_000);
    expect((await t.post('/mfa/devices/virtual', first.sid, { name: 'tablet 2' })).statusCode).toBe(403);
  });

  test('resync: two later consecutive codes re-learn a drift; wrong ones 422', async () => {
    const { user } = await alice();
    const phone = await enrollOverHttp(t, t.signInByPassword(user));
    phone.authenticator.setDrift(5 * 60_000);
    const wrong = await t.post(`/mfa/devices/${phone.deviceId}/resync`, phone.sid, {
      code1: '123456',
      code2: '654321',
    });
    expect(wrong.statusCode).toBe(422);
    t.world.clock.advance(5_000); // past the back-off the wrong pair started
    const [code1, code2] = phone.authenticator.nextCodes(2);
    const ok = await t.post(`/mfa/devices/${phone.deviceId}/resync`, phone.sid, { code1, code2 });
    expect(ok.json()).toEqual({ ok: true });
  });

  test('remove needs MFA within 300 s, then deactivates the device and audits it', async () => {
    const { user } = await alice();
    const phone = await enrollOverHttp(t, t.signInByPassword(user));
    const remove = (sid: string) =>
      t.app.inject({ method: 'DELETE', url: `/mfa/devices/${phone.deviceId}`, headers: { 'x-session': sid } });
    expect((await remove(t.signInByPassword(user))).statusCode).toBe(403);
    t.world.clock.advance(301_000);
    const stale = await remove(phone.sid);
    expect(stale.statusCode).toBe(403);
    expect(stale.json().message).toContain('300 s');
    const fresh = await t.post('/mfa/sign-in/code', phone.sid, { code: phone.authenticator.code() });
    const sid = fresh.headers['x-session'] as string;
    expect((await remove(sid)).json()).toEqual({ ok: true });
    expect((await remove(sid)).statusCode).toBe(409);
    const gone = await t.app.inject({ method: 'DELETE', url: '/mfa/devices/dev_nope', headers: { 'x-session': sid } });
    expect(gone.statusCode).toBe(404);
    const events = (await t.world.registry.listAudit()).map((record) => record.event);
    expect(events).toContain('device_deactivated');
    expect((await t.world.registry.verifyAuditChain()).ok).toBe(true);
  });
});

describe('hardware tokens', () => {
  test('a token by serial with two codes; an unknown serial is 404, wrong codes 422', async () => {
    const seed = TokenSeedFile.generate(1, { serialPrefix: 'GAHT' });
    await t.world.registry.importHardwareTokens(seed.csv);
    const { sid } = await alice();
    const serial = seed.tokens[0]?.serial as string;
    const token = seed.device(serial, { clock: t.world.clock });
    const unknown = await t.post('/mfa/devices/hardware', sid, { serial: 'NOPE1', code1: '123456', code2: '123457' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('unknown_serial');
    expect((await t.post('/mfa/devices/hardware', sid, { serial, code1: '123456', code2: '123457' })).statusCode).toBe(
      422,
    );
    const [code1, code2] = token.nextCodes(2);
    const ok = await t.post('/mfa/devices/hardware', sid, { serial, code1, code2, name: 'token' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().ok).toBe(true);
  });
});

describe('the MFA step of sign-in', () => {
  test('a code signs in once; the same code, a wrong code, a throttled and a locked user answer alike', async () => {
    const { user } = await alice();
    const phone = await enrollOverHttp(t, t.signInByPassword(user));
    const sid = t.signInByPassword(user);
    const code = phone.authenticator.code();
    const ok = await t.post('/mfa/sign-in/code', sid, { code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true });
    const second = t.signInByPassword(user);
    const answers = [await t.post('/mfa/sign-in/code', second, { code })];
    for (let i = 0; i < 5; i++) answers.push(await t.post('/mfa/sign-in/code', second, { code: '000000' })); // throttled from the 4th
    for (let i = 0; i < 10; i++) {
      t.world.clock.advance(31_000); // past each back-off, so every guess counts: locked at 10
      answers.push(await t.post('/mfa/sign-in/code', second, { code: '000000' }));
    }
    t.world.clock.step();
    answers.push(await t.post('/mfa/sign-in/code', second, { code: phone.authenticator.code() })); // locked now
    const distinct = new Set(answers.map((answer) => `${answer.statusCode} ${answer.body}`));
    expect([...distinct], JSON.stringify(answers.map((a) => a.body))).toEqual(['401 {"ok":false}']);
    expect(t.sessions.get(second)?.mfaAt).toBeUndefined();
    expect((await t.world.store.attempts.get(user.id, 'otp')).lockedAt).not.toBeNull(); // the last answer was a lockout
  });

  test('nobody signed in: 401 not_signed_in on every route', async () => {
    for (const url of ['/mfa/sign-in/code', '/mfa/recovery/start', '/mfa/recovery-codes', '/mfa/devices/virtual']) {
      const body = url.endsWith('code') ? { code: '123456' } : url.endsWith('virtual') ? { name: 'x' } : undefined;
      const answer = await t.post(url, 'no-such-session', body);
      expect(answer.statusCode, url).toBe(401);
      expect(answer.json().error).toBe('not_signed_in');
    }
  });

  test('a user without devices: the code step answers 409 no_active_device', async () => {
    const { sid } = await alice();
    const answer = await t.post('/mfa/sign-in/code', sid, { code: '123456' });
    expect(answer.statusCode).toBe(409);
    expect(answer.json().error).toBe('no_active_device');
  });

  test('requireMfa: 401 without a session, 403 without MFA or when too old, 200 when fresh', async () => {
    const { user } = await alice();
    const phone = await enrollOverHttp(t, t.signInByPassword(user));
    expect((await t.post('/transfer', undefined)).statusCode).toBe(401);
    expect((await t.post('/transfer', t.signInByPassword(user))).json().error).toBe('mfa_required');
    expect((await t.post('/transfer', phone.sid)).json()).toEqual({ done: true });
    t.world.clock.advance(301_000);
    expect((await t.post('/transfer', phone.sid)).statusCode).toBe(403);
    const settings = await t.app.inject({ method: 'GET', url: '/settings', headers: { 'x-session': phone.sid } });
    expect(settings.json()).toEqual({ settings: true }); // no maxAgeSeconds: any age
  });
});

describe('recovery codes', () => {
  test('generated once (needs MFA when a device is active), each signs in once', async () => {
    const { user } = await alice();
    const phone = await enrollOverHttp(t, t.signInByPassword(user));
    expect((await t.post('/mfa/recovery-codes', t.signInByPassword(user))).statusCode).toBe(403);
    const generated = await t.post('/mfa/recovery-codes', phone.sid);
    expect(generated.statusCode).toBe(201);
    const codes = generated.json().codes as string[];
    expect(codes).toHaveLength(10);
    const sid = t.signInByPassword(user);
    expect((await t.post('/mfa/sign-in/recovery-code', sid, { code: codes[0] })).json()).toEqual({ ok: true });
    const again = await t.post('/mfa/sign-in/recovery-code', t.signInByPassword(user), { code: codes[0] });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ ok: false });
  });
});

describe('security keys', () => {
  test('register (begin/finish) and sign in with a key; a wrong origin is refused with the reason', async () => {
    const { sid } = await alice();
    const key = VirtualSecurityKey.create();
    const creation = (await t.post('/mfa/security-keys/registration/begin', sid)).json();
    const credential = key.createCredential(creation, { origin: WORLD_RELYING_PARTY.origin });
    const registered = await t.post('/mfa/security-keys/registration/finish', sid, { credential, name: 'YubiKey' });
    expect(registered.statusCode).toBe(201);
    expect(registered.json().ok).toBe(true);

    const signInSid = t.signInByPassword(
      await t.world.registry.getUser(t.sessions.get(sid)?.userId as string).then((u) => u as never),
    );
    const request = (await t.post('/mfa/sign-in/security-key/begin', signInSid)).json();
    const assertion = key.getAssertion(request, { origin: WORLD_RELYING_PARTY.origin });
    const signedIn = await t.post('/mfa/sign-in/security-key/finish', signInSid, { credential: assertion });
    expect(signedIn.json()).toEqual({ ok: true });
    const replay = await t.post('/mfa/sign-in/security-key/finish', signInSid, { credential: assertion });
    expect(replay.statusCode).toBe(401);

    const other = VirtualSecurityKey.create();
    const fresh = signedIn.headers['x-session'] as string;
    const creation2 = (await t.post('/mfa/security-keys/registration/begin', fresh)).json();
    const foreign = other.createCredential(creation2, { origin: 'https://evil.test' });
    const refused = await t.post('/mfa/security-keys/registration/finish', fresh, { credential: foreign, name: 'x' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/origin/);
  });
});

describe('lost-device recovery', () => {
  test('start sends codes to email and phone; both complete it and every device is deactivated', async () => {
    const { user } = await alice();
    await enrollOverHttp(t, t.signInByPassword(user));
    const sid = t.signInByPassword(user);
    const started = await t.post('/mfa/recovery/start', sid);
    expect(started.statusCode).toBe(202);
    const { sessionId, sentTo } = started.json();
    expect(sentTo).toEqual(['email', 'phone']);
    const emailCode = t.world.notifier.lastCode(user.id, 'email');
    const phoneCode = t.world.notifier.lastCode(user.id, 'phone');
    const wrong = await t.post('/mfa/recovery/complete', sid, { sessionId, emailCode, phoneCode: '00000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ ok: false });
    const done = await t.post('/mfa/recovery/complete', sid, { sessionId, emailCode, phoneCode });
    expect(done.json()).toEqual({ ok: true });
    const devices = await t.world.registry.listDevices(user.id);
    expect(devices.every((device) => device.state === 'deactivated')).toBe(true);
    // A second start within the minute is rate-limited: 429 with Retry-After.
    const again = await t.post('/mfa/recovery/start', done.headers['x-session'] as string);
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
  });

  test("another user's recovery session is unknown to you", async () => {
    const { user } = await alice();
    const bob = await signUp(t.world, { name: 'bob', kind: 'root' });
    const { sessionId } = (await t.post('/mfa/recovery/start', t.signInByPassword(user))).json();
    const answer = await t.post('/mfa/recovery/complete', t.signInByPassword(bob), {
      sessionId,
      emailCode: '12345678',
      phoneCode: '12345678',
    });
    expect(answer.statusCode).toBe(404);
  });
});
