/**
 * Every public function checks its arguments at the edge: null, non-objects and wrong types are
 * a TypeError or RangeError naming what is wrong, never "Cannot read properties of null".
 */
import { applicationParameter, VirtualSecurityKey, verifyU2fAuthentication, verifyU2fRegistration } from '@mfakit/u2f';
import { verifySecurityKeyAssertion, verifySecurityKeyRegistration } from '@mfakit/u2f/webauthn';
import { expect, test } from 'vitest';
import { authenticationMessage, registrationMessage } from './support/spec-messages.js';

const key = VirtualSecurityKey.create();
const bytes32 = new Uint8Array(32);

function callerBug(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toSatisfy((e: unknown) => e instanceof TypeError || e instanceof RangeError);
    const message = (error as Error).message;
    expect(message).not.toMatch(/Cannot read|undefined is not|null is not/);
    return message;
  }
  throw new Error('no error');
}

async function callerBugAsync(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (error) {
    expect(error).toSatisfy((e: unknown) => e instanceof TypeError || e instanceof RangeError);
    expect((error as Error).message).not.toMatch(/Cannot read|undefined is not|null is not/);
    return (error as Error).message;
  }
  throw new Error('no error');
}

test.each([null, 5, 'options'])('raw verifiers with options %j', (options) => {
  expect(callerBug(() => verifyU2fRegistration(registrationMessage(), options as never))).toMatch(/options/);
  expect(callerBug(() => verifyU2fAuthentication(authenticationMessage(), options as never))).toMatch(/options/);
});

test('raw verifiers: credential missing, appId not a string', () => {
  const base = { appId: 'https://a', clientData: new Uint8Array(), challenge: 'x', origin: 'https://a' };
  expect(callerBug(() => verifyU2fAuthentication(authenticationMessage(), base as never))).toMatch(/credential/);
  expect(callerBug(() => verifyU2fRegistration(registrationMessage(), { ...base, appId: 7 } as never))).toMatch(
    /appId/,
  );
  expect(callerBug(() => applicationParameter(undefined as never))).toMatch(/appId/);
});

test.each([null, 5, 'x'])('VirtualSecurityKey with %j where an object belongs', (value) => {
  expect(callerBug(() => VirtualSecurityKey.create(value as never))).toMatch(/options/);
  expect(callerBug(() => key.authenticate(bytes32, bytes32, new Uint8Array(60), value as never))).toMatch(/options/);
  expect(callerBug(() => key.u2fRegisterResponse(value as never))).toMatch(/request/);
  expect(callerBug(() => key.u2fSignResponse(value as never))).toMatch(/request/);
  expect(callerBug(() => key.createCredential(value as never, { origin: 'https://a' }))).toMatch(/options/);
  expect(callerBug(() => key.getAssertion(value as never, { origin: 'https://a' }))).toMatch(/options/);
  expect(callerBug(() => key.getAssertion({ challenge: 'AA' }, value as never))).toMatch(/origin/);
  expect(callerBug(() => VirtualSecurityKey.fromJSON(value as never))).toMatch(/state/);
});

test('VirtualSecurityKey argument types and ranges', () => {
  expect(callerBug(() => VirtualSecurityKey.create({ aaguid: new Uint8Array(3) }))).toMatch(/aaguid/);
  expect(callerBug(() => VirtualSecurityKey.create({ randomBytes: 5 as never }))).toMatch(/randomBytes/);
  expect(callerBug(() => key.resetCounter(-1))).toMatch(/counter/);
  expect(callerBug(() => key.resetCounter(2 ** 32))).toMatch(/counter/);
  expect(callerBug(() => key.register(bytes32, 'app' as never))).toMatch(/appParam/);
  expect(callerBug(() => key.getAssertion({ challenge: 'not base64url!' }, { origin: 'https://a' }))).toMatch(
    /challenge/,
  );
  expect(callerBug(() => key.createCredential({ challenge: 'AA' } as never, { origin: 'not a url' }))).toMatch(
    /origin/,
  );
});

test.each([null, 5])('webauthn checks with expected %j', async (expected) => {
  expect(await callerBugAsync(() => verifySecurityKeyRegistration({} as never, expected as never))).toMatch(/expected/);
  expect(await callerBugAsync(() => verifySecurityKeyAssertion({} as never, expected as never))).toMatch(/expected/);
});

test('webauthn checks: bad challenge, origin, rpId, credential', async () => {
  const good = { challenge: 'AA', origin: 'https://a', rpId: 'a' };
  expect(
    await callerBugAsync(() => verifySecurityKeyRegistration({} as never, { ...good, challenge: 5 } as never)),
  ).toMatch(/challenge/);
  expect(await callerBugAsync(() => verifySecurityKeyRegistration({} as never, { ...good, origin: [] }))).toMatch(
    /origin/,
  );
  expect(await callerBugAsync(() => verifySecurityKeyRegistration({} as never, { ...good, rpId: '' }))).toMatch(/rpId/);
  expect(
    await callerBugAsync(() => verifySecurityKeyAssertion({} as never, { ...good, credential: null } as never)),
  ).toMatch(/credential/);
});
