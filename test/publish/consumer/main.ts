// What a user of the published packages does first: enroll a virtual MFA device for a user with
// two consecutive codes, sign in with a later code, parse the enrollment URI. Compiled by the
// consumer test with `tsc` (strict) under node16 and bundler resolution, then run with Node.
import { totp } from '@mfakit/core';
import { isBytes } from '@mfakit/core/validate';
import { parseOtpauthUri } from '@mfakit/otpauth/uri';
import { generateDataKey, MemoryRegistryStore, publicOutcome, Registry, StaticKeyProvider } from '@mfakit/registry';

const registry = new Registry({
  store: new MemoryRegistryStore(),
  keys: new StaticKeyProvider({ 'key-1': generateDataKey() }, 'key-1'),
  issuer: 'Consumer Co',
});
const user = await registry.createUser({
  name: 'alice',
  email: 'alice@example.com',
  phone: '+14155550100',
  kind: 'root',
});
const enrollment = await registry.createVirtualDevice(user.id, { name: 'phone' });
const account = parseOtpauthUri(enrollment.otpauthUri);
const now = Date.now();
const enabled = await registry.enableDevice(
  user.id,
  enrollment.deviceId,
  totp(account.secret, { at: now - 30_000 }),
  totp(account.secret, { at: now }),
);
const signIn = await registry.verifySignIn(user.id, totp(account.secret, { at: now + 30_000 }));
const replay = await registry.verifySignIn(user.id, totp(account.secret, { at: now + 30_000 }));
const svg: string = await enrollment.qrSvg();
console.log(
  JSON.stringify({
    enabled: enabled.ok,
    signIn: publicOutcome(signIn),
    replay: publicOutcome(replay),
    issuer: account.issuer,
    secretIsBytes: isBytes(account.secret),
    qr: svg.startsWith('<svg'),
  }),
);
