/**
 * @module
 * Secrets at rest, for store tests: a registry story that puts every kind of secret through a
 * store — a device secret, a hardware token seed, accepted OTP codes, recovery codes (used and
 * reused) and a lost-device recovery — and the encodings a leaked secret could take in raw
 * database bytes. Search the store's raw bytes (a file, a dump) for every string returned.
 */
import { base32Encode } from '@mfakit/core';
import type { RegistryStore } from '@mfakit/registry';
import { simulateEnrollment } from './simulate-enrollment.js';
import { createMfaWorld, enrollHardwareToken, signUp } from './stories.js';
import { TokenSeedFile } from './token-seed-file.js';

/** Every way a secret could appear in a database's bytes: raw, hex, base32, base64(url). */
export function secretEncodings(secret: Uint8Array): string[] {
  const buffer = Buffer.from(secret);
  const base32 = base32Encode(secret).replace(/=+$/, '');
  return [
    buffer.toString('latin1'),
    buffer.toString('hex'),
    buffer.toString('hex').toUpperCase(),
    base32,
    base32.toLowerCase(),
    buffer.toString('base64').replace(/=+$/, ''),
    buffer.toString('base64url'),
  ];
}

/** Runs the story on `store`; returns the strings that must not appear in the raw database. */
export async function runSecretsAtRestStory(store: RegistryStore): Promise<string[]> {
  const world = createMfaWorld({ store });
  const user = await signUp(world, { name: 'Canary', kind: 'root' });
  const phone = await simulateEnrollment(world.registry, user, { clock: world.clock });
  const seeds = TokenSeedFile.generate(1);
  await world.registry.importHardwareTokens(seeds.csv);
  const hardware = await enrollHardwareToken(world, user, seeds, 'GAHT00000001');
  const codes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const code = phone.authenticator.code();
    codes.push(code);
    if (!(await world.registry.verifySignIn(user.id, code)).ok) throw new Error('sign-in refused');
    world.clock.step();
  }
  codes.push(hardware.token.code());
  await world.registry.verifySignIn(user.id, hardware.token.code());
  const recoveryCodes = await world.registry.generateRecoveryCodes(user.id);
  await world.registry.useRecoveryCode(user.id, recoveryCodes[3] as string);
  await world.registry.useRecoveryCode(user.id, recoveryCodes[3] as string);
  const { sessionId } = await world.registry.startRecovery(user.id);
  const emailCode = world.notifier.lastCode(user.id, 'email') as string;
  const phoneCode = world.notifier.lastCode(user.id, 'phone') as string;
  await world.registry.completeRecovery(sessionId, emailCode, phoneCode);
  return [
    ...secretEncodings(phone.enrollment.secret),
    ...secretEncodings(seeds.token('GAHT00000001').secret),
    ...codes,
    ...recoveryCodes,
    ...recoveryCodes.map((code) => code.replaceAll('-', '')),
    emailCode,
    phoneCode,
  ];
}
