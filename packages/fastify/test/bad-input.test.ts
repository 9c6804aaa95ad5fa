import { signUp } from '@mfakit/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMfaTestApp, enrollOverHttp, type MfaTestApp } from './support/mfa-app.js';

let t: MfaTestApp;
let sid: string;
let deviceId: string;
beforeAll(async () => {
  t = await createMfaTestApp();
  const user = await signUp(t.world, { name: 'alice', kind: 'root' });
  const phone = await enrollOverHttp(t, t.signInByPassword(user));
  sid = phone.sid;
  deviceId = phone.deviceId;
});
afterAll(async () => {
  await t.close();
});

function raw(url: string, payload: string, contentType = 'application/json', method: 'POST' | 'DELETE' = 'POST') {
  return t.app.inject({ method, url, headers: { 'x-session': sid, 'content-type': contentType }, payload });
}

/** A 4xx with `{ error, message }`, a message a person can act on, no stack, no echo of the input. */
function expectClearRefusal(answer: { statusCode: number; body: string }, status: number, echo?: string) {
  expect(answer.statusCode, answer.body).toBe(status);
  const body = JSON.parse(answer.body);
  expect(Object.keys(body).sort()).toEqual(['error', 'message']);
  expect(body.message.length).toBeGreaterThan(10);
  expect(answer.body).not.toMatch(/\bat .*\.(ts|js):\d+|stack|node_modules/);
  if (echo !== undefined) expect(answer.body).not.toContain(echo);
}

const routes: Array<[string, Record<string, unknown>]> = [
  ['/mfa/sign-in/code', { code: '123456' }],
  ['/mfa/sign-in/recovery-code', { code: 'ABCD-EFGH-JKMN-PQRS' }],
  ['/mfa/devices/virtual', { name: 'phone' }],
  ['/mfa/devices/hardware', { serial: 'GAHT1', code1: '123456', code2: '123457' }],
  ['/mfa/devices/dev_x/enable', { code1: '123456', code2: '123457' }],
  ['/mfa/devices/dev_x/resync', { code1: '123456', code2: '123457' }],
  ['/mfa/recovery/complete', { sessionId: 'rec_x', emailCode: '12345678', phoneCode: '12345678' }],
  ['/mfa/security-keys/registration/finish', { name: 'key', credential: {} }],
  ['/mfa/sign-in/security-key/finish', { credential: {} }],
];

describe('every route with a body', () => {
  test.each(routes)(
    '%s: missing fields, wrong types, extra big, not JSON, other media types → 4xx',
    async (url, body) => {
      expectClearRefusal(await raw(url, '{}'), 400);
      for (const field of Object.keys(body)) {
        const { [field]: _dropped, ...rest } = body;
        const answer = await raw(url, JSON.stringify(rest));
        expectClearRefusal(answer, 400);
        expect(answer.json().message).toContain(field);
        expectClearRefusal(await raw(url, JSON.stringify({ ...body, [field]: { nested: [1] } })), 400);
      }
      expectClearRefusal(await raw(url, JSON.stringify({ ...body, pad: 'x'.repeat(70_000) })), 413);
      expectClearRefusal(await raw(url, '{"code": 12345678 secretpart'), 400, 'secretpart');
      expectClearRefusal(await raw(url, '{"__proto__": {"admin": true}}'), 400);
      expectClearRefusal(await raw(url, 'code=123456', 'application/x-www-form-urlencoded'), 415);
      expectClearRefusal(await raw(url, 'code=123456', 'text/plain'), 415);
      expectClearRefusal(await raw(url, '[]'), 400);
      expectClearRefusal(await raw(url, 'null'), 400);
      expectClearRefusal(await raw(url, ''), 400);
    },
  );
});

describe('unicode tricks', () => {
  const codes = [
    '１２３４５６', // full-width digits
    '١٢٣٤٥٦', // Arabic-Indic digits
    '123\u200b456', // zero-width space
    '123456\u202e', // right-to-left override
    '123\u0000456',
    '\ud800123456', // unpaired surrogate
  ];
  test.each(codes)('a code %j is refused with 400 naming the field', async (code) => {
    const answer = await raw('/mfa/sign-in/code', JSON.stringify({ code }));
    expectClearRefusal(answer, 400);
    expect(answer.json().message).toMatch(/code/);
  });

  const names = ['evil\u202etxt.exe', 'zero\u200bwidth', 'bell\u0007', 'lone \ud83d', '\u00a0\u3000', '\u2028'];
  test.each(names)('a device name %j is refused with 400', async (name) => {
    expectClearRefusal(await raw('/mfa/devices/virtual', JSON.stringify({ name })), 400);
  });

  test('a decomposed name is stored composed (NFC)', async () => {
    const answer = await raw('/mfa/devices/virtual', JSON.stringify({ name: 'Jose\u0301' }));
    expect(answer.statusCode).toBe(201);
    const devices = (await t.app.inject({ method: 'GET', url: '/mfa/devices', headers: { 'x-session': sid } })).json();
    expect(devices.devices.map((device: { name: string }) => device.name)).toContain('Jos\u00e9');
  });

  test('ids in the path are checked: 400, never a 500', async () => {
    for (const bad of ['%00', 'a%2Fb', '%E2%80%AE', 'x'.repeat(200), '..%2F..']) {
      const answer = await t.app.inject({
        method: 'DELETE',
        url: `/mfa/devices/${bad}`,
        headers: { 'x-session': sid },
      });
      expect(answer.statusCode, bad).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode, bad).toBeLessThan(500);
    }
    expect(deviceId).toMatch(/^[\w.:@-]+$/);
  });
});
