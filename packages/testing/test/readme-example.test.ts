import { isMfaError } from '@mfakit/core';
import { publicOutcome } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, recoverLostDevice, signIn, signUp } from '@mfakit/testing';
import { expect, test } from 'vitest';

test('a user enrolls a phone, signs in, loses the phone and recovers', async () => {
  // A registry on a fake clock, an in-memory store and a notifier that keeps messages.
  const world = createMfaWorld({ issuer: 'Example' });
  const alice = await signUp(world, { name: 'alice', kind: 'root' });

  // Create → scan the otpauth URI → type two consecutive codes → device enabled.
  const phone = await enrollPhone(world, alice);
  expect(phone.enrollment.otpauthUri).toContain('otpauth://totp/Example:alice');

  // Sign in with the code on the phone; the same code again is a replay.
  const code = phone.authenticator.code();
  expect(await world.registry.verifySignIn(alice.id, code)).toMatchObject({ ok: true, deviceId: phone.deviceId });
  const replay = await world.registry.verifySignIn(alice.id, code);
  expect(replay).toMatchObject({ ok: false, reason: 'replayed' });
  expect(publicOutcome(replay)).toEqual({ ok: false }); // what the client sees: same as a wrong code

  // 30 s later the next code works.
  world.clock.step();
  expect((await signIn(world, alice, phone.authenticator)).ok).toBe(true);

  // The phone is lost: codes go to alice's email and phone, both are entered, the phone is deactivated.
  const recovery = await recoverLostDevice(world, alice);
  expect(recovery).toEqual({
    ok: true,
    userId: alice.id,
    deactivatedDeviceIds: [phone.deviceId],
    failedNotices: [], // both "recovery completed" notices went out
  });
  await expect(signIn(world, alice, phone.authenticator)).rejects.toSatisfy((error) =>
    isMfaError(error, 'no_active_device'),
  );

  // Every step is in the hash-chained audit log.
  expect((await world.registry.verifyAuditChain()).ok).toBe(true);
});
