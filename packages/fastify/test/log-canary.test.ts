import { signUp } from '@mfakit/testing';
import { expect, test } from 'vitest';
import { createMfaTestApp, enrollOverHttp } from './support/mfa-app.js';

test('no secret, URI, code, recovery code or emailed code reaches the log (pino at trace level)', async () => {
  const t = await createMfaTestApp();
  const canaries: string[] = [];
  const user = await signUp(t.world, { name: 'alice', kind: 'root' });
  const phone = await enrollOverHttp(t, t.signInByPassword(user));
  canaries.push(phone.secret, phone.secret.toLowerCase());

  const code = phone.authenticator.code();
  canaries.push(code);
  await t.post('/mfa/sign-in/code', t.signInByPassword(user), { code });
  await t.post('/mfa/sign-in/code', t.signInByPassword(user), { code }); // replay
  const generated = await t.post('/mfa/recovery-codes', phone.sid);
  expect(generated.statusCode, generated.body).toBe(201);
  const codes = generated.json().codes as string[];
  canaries.push(...codes, ...codes.map((recovery) => recovery.replaceAll('-', '')));
  await t.post('/mfa/sign-in/recovery-code', t.signInByPassword(user), { code: codes[0] });
  await t.post('/mfa/sign-in/recovery-code', t.signInByPassword(user), { code: codes[0] }); // reused

  // Bodies that fail parsing or validation while carrying a code.
  const sid = t.signInByPassword(user);
  const next = phone.authenticator.codeAtStep(phone.authenticator.step() + 1);
  canaries.push(next);
  await t.app.inject({
    method: 'POST',
    url: '/mfa/sign-in/code',
    headers: { 'x-session': sid, 'content-type': 'application/json' },
    payload: `{"code": "${next}" oops`,
  });
  await t.post('/mfa/sign-in/code', sid, { code: `${next}\u200b` });
  await t.post('/mfa/sign-in/code', sid, { code: next, extra: phone.secret });

  const recoverySid = t.signInByPassword(user);
  const start = await t.post('/mfa/recovery/start', recoverySid);
  expect(start.statusCode, start.body).toBe(202);
  const started = start.json();
  const emailCode = t.world.notifier.lastCode(user.id, 'email') as string;
  const phoneCode = t.world.notifier.lastCode(user.id, 'phone') as string;
  canaries.push(emailCode, phoneCode);
  await t.post('/mfa/recovery/complete', recoverySid, {
    sessionId: started.sessionId,
    emailCode,
    phoneCode: '00000000',
  });
  await t.post('/mfa/recovery/complete', recoverySid, { sessionId: started.sessionId, emailCode, phoneCode });
  await t.close();

  const log = t.logs.join('');
  expect(t.logs.length).toBeGreaterThan(20); // requests were logged at all
  expect(log).toContain('/mfa/sign-in/code');
  for (const canary of canaries) {
    expect(canary.length).toBeGreaterThanOrEqual(6);
    expect(log.includes(canary), `a canary (${canary.length} characters) is in the log`).toBe(false);
  }
});
