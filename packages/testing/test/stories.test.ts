import { isMfaError } from '@mfakit/core';
import { MemoryRegistryStore, publicOutcome } from '@mfakit/registry';
import {
  createMfaWorld,
  enrollHardwareToken,
  enrollPhone,
  inspectMemoryStore,
  recoverLostDevice,
  signIn,
  signUp,
  TokenSeedFile,
} from '@mfakit/testing';
import { describe, expect, it } from 'vitest';
import { wrongCode } from './helpers.js';

describe('sign-up → enroll → sign in → lose phone → recover', () => {
  it('runs the whole story on a fake clock', async () => {
    const world = createMfaWorld();
    const alice = await signUp(world, { name: 'Alice', kind: 'root' });
    const phone = await enrollPhone(world, alice);
    expect(phone.enrollment.otpauthUri).toMatch(/^otpauth:\/\/totp\/mfakit:Alice\?/);
    expect(await signIn(world, alice, phone.authenticator)).toMatchObject({ ok: true, deviceId: phone.deviceId });

    // The phone is lost: recovery through email + SMS deactivates it.
    const recovered = await recoverLostDevice(world, alice);
    expect(recovered).toEqual({
      ok: true,
      userId: alice.id,
      deactivatedDeviceIds: [phone.deviceId],
      failedNotices: [],
    });
    expect((await world.registry.listDevices(alice.id))[0]?.state).toBe('deactivated');
    expect(world.notifier.last(alice.id, 'email', 'recovery_completed')).toBeDefined();
    expect(world.notifier.last(alice.id, 'phone', 'recovery_completed')).toBeDefined();

    // A new phone works; the lost one does not.
    world.clock.step();
    const newPhone = await enrollPhone(world, alice, { name: 'new phone' });
    expect(await signIn(world, alice, phone.authenticator)).toMatchObject({ ok: false, reason: 'mismatch' });
    world.clock.step(2);
    expect(await signIn(world, alice, newPhone.authenticator)).toMatchObject({ ok: true, deviceId: newPhone.deviceId });
    expect((await world.registry.verifyAuditChain()).ok).toBe(true);
  });
});

describe('clock drift', () => {
  it('accepts a phone one step fast or slow', async () => {
    for (const driftMs of [30_000, -30_000]) {
      const world = createMfaWorld();
      const user = await signUp(world, { name: 'Drifter' });
      const { authenticator } = await enrollPhone(world, user);
      world.clock.step(2);
      authenticator.setDrift(driftMs);
      expect(await signIn(world, user, authenticator)).toMatchObject({ ok: true, driftSteps: driftMs / 30_000 });
    }
  });

  it('refuses a phone two steps off until it is resynced, then accepts it', async () => {
    for (const driftMs of [60_000, -60_000]) {
      const world = createMfaWorld();
      const user = await signUp(world, { name: 'Far Drifter' });
      const { deviceId, authenticator } = await enrollPhone(world, user);
      world.clock.step(3);
      authenticator.setDrift(driftMs);
      expect(await signIn(world, user, authenticator)).toMatchObject({ ok: false, reason: 'mismatch' });
      world.clock.step();
      const [code1, code2] = authenticator.nextCodes(2) as [string, string];
      expect(await world.registry.resyncDevice(user.id, deviceId, code1, code2)).toMatchObject({
        ok: true,
        driftSteps: driftMs / 30_000,
      });
      world.clock.step();
      expect(await signIn(world, user, authenticator)).toMatchObject({ ok: true, driftSteps: driftMs / 30_000 });
    }
  });

  it('enrolls a phone that runs 90 s fast and learns its drift', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Fast Phone' });
    const { authenticator, deviceId } = await enrollPhone(world, user, { driftMs: 90_000 });
    expect((await world.registry.listDevices(user.id))[0]).toMatchObject({
      id: deviceId,
      state: 'active',
      driftSteps: 3,
    });
    expect(await signIn(world, user, authenticator)).toMatchObject({ ok: true, driftSteps: 3 });
  });

  it('refuses a resync with codes that are not consecutive', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Resyncer' });
    const { deviceId, authenticator } = await enrollPhone(world, user);
    const step = authenticator.step();
    const result = await world.registry.resyncDevice(
      user.id,
      deviceId,
      authenticator.codeAtStep(step + 1),
      authenticator.codeAtStep(step + 3),
    );
    expect(result).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('replay', () => {
  it('accepts a code once, refuses it and older codes afterwards, and answers replays like wrong codes', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Replayer' });
    const { authenticator } = await enrollPhone(world, user);
    const code = authenticator.code();
    expect((await world.registry.verifySignIn(user.id, code)).ok).toBe(true);
    const replay = await world.registry.verifySignIn(user.id, code);
    expect(replay).toMatchObject({ ok: false, reason: 'replayed' });
    const older = await world.registry.verifySignIn(user.id, authenticator.codeAtStep(authenticator.step() - 1));
    expect(older).toMatchObject({ ok: false, reason: 'replayed' });
    const wrong = await world.registry.verifySignIn(user.id, wrongCode(authenticator));
    expect(wrong).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(publicOutcome(replay)).toEqual(publicOutcome(wrong));
    expect(publicOutcome(replay)).toEqual({ ok: false });
    const replayAudit = (await world.registry.listAudit()).filter((record) => record.event === 'sign_in_replayed');
    expect(replayAudit).toHaveLength(2);
  });

  it('refuses the enrollment codes for sign-in', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Enroller' });
    const enrollment = await world.registry.createVirtualDevice(user.id, { name: 'phone' });
    const { VirtualAuthenticator } = await import('@mfakit/testing');
    const phone = VirtualAuthenticator.fromUri(enrollment.otpauthUri, { clock: world.clock });
    const [code1, code2] = phone.nextCodes(2) as [string, string];
    expect((await world.registry.enableDevice(user.id, enrollment.deviceId, code1, code2)).ok).toBe(true);
    expect(await world.registry.verifySignIn(user.id, code2)).toMatchObject({ ok: false, reason: 'replayed' });
  });
});

describe('throttling and lockout', () => {
  it('backs off after 3 failures, locks after 10, and answers locked like wrong', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Guesser' });
    const { authenticator } = await enrollPhone(world, user);
    const outcomes = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      const result = await world.registry.verifySignIn(user.id, wrongCode(authenticator));
      if (result.ok) throw new Error('a wrong code was accepted');
      expect(result).toMatchObject({ reason: 'mismatch', failureCount: attempt, locked: attempt >= 10 });
      outcomes.push(publicOutcome(result));
      if (attempt === 3) {
        expect(result.retryAfterMs).toBe(1000);
        // Too soon: refused without looking at the code, and not counted.
        const throttled = await world.registry.verifySignIn(user.id, authenticator.code());
        expect(throttled).toMatchObject({ ok: false, reason: 'throttled', failureCount: 3, retryAfterMs: 1000 });
        // Over the wire it looks like any other refusal: no back-off time that would tell the count.
        expect(publicOutcome(throttled)).toEqual({ ok: false });
      }
      world.clock.advance(result.retryAfterMs);
    }
    const locked = await world.registry.verifySignIn(user.id, authenticator.code());
    expect(locked).toMatchObject({ ok: false, reason: 'locked', locked: true });
    expect(publicOutcome(locked)).toEqual({ ok: false });
    expect(outcomes.every((outcome) => JSON.stringify(outcome) === JSON.stringify({ ok: false }))).toBe(true);
    const events = (await world.registry.listAudit()).map((record) => record.event);
    expect(events.filter((event) => event === 'user_locked_out')).toHaveLength(1);
    const report = await world.registry.credentialReport();
    expect(report.rows.find((row) => row.userId === user.id)).toMatchObject({ locked: true, failedAttempts: 10 });
  });

  it('resets the count on success', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Typo' });
    const { authenticator } = await enrollPhone(world, user);
    await world.registry.verifySignIn(user.id, wrongCode(authenticator));
    await world.registry.verifySignIn(user.id, wrongCode(authenticator));
    expect((await signIn(world, user, authenticator)).ok).toBe(true);
    expect((await world.store.attempts.get(user.id, 'otp')).failureCount).toBe(0);
  });

  async function lockedUser(kind: 'root' | 'member') {
    const world = createMfaWorld({ maxFailures: 3, backoffAfterFailures: 5 });
    const user = await signUp(world, { name: `Locked ${kind}`, kind });
    const phone = await enrollPhone(world, user);
    for (let i = 0; i < 3; i++) await world.registry.verifySignIn(user.id, wrongCode(phone.authenticator));
    expect(await signIn(world, user, phone.authenticator)).toMatchObject({ reason: 'locked' });
    return { world, user, phone };
  }

  it('a recovery code unlocks OTP sign-in', async () => {
    const { world, user, phone } = await lockedUser('root');
    const [code] = await world.registry.generateRecoveryCodes(user.id);
    expect(await world.registry.useRecoveryCode(user.id, code as string)).toEqual({
      ok: true,
      userId: user.id,
      remaining: 9,
    });
    expect(await signIn(world, user, phone.authenticator)).toMatchObject({ ok: true });
  });

  it('lost-device recovery unlocks and deactivates the lost device', async () => {
    const { world, user, phone } = await lockedUser('root');
    expect(await recoverLostDevice(world, user)).toMatchObject({ ok: true, deactivatedDeviceIds: [phone.deviceId] });
    expect(await world.store.attempts.get(user.id, 'otp')).toMatchObject({ failureCount: 0, lockedAt: null });
    expect((await world.registry.listDevices(user.id)).map((device) => device.state)).toEqual(['deactivated']);
    await expect(signIn(world, user, phone.authenticator)).rejects.toSatisfy((error) =>
      isMfaError(error, 'no_active_device'),
    );
  });

  it("an admin resets a member's lockout and deactivates a member's device", async () => {
    const { world, user, phone } = await lockedUser('member');
    // The member joined the world's default account; its root user administers it.
    const admin = (await world.registry.listUsers(user.accountId)).find((other) => other.kind === 'root');
    if (admin === undefined) throw new Error('the account has no root user');
    const outsider = await signUp(world, { name: 'Other Account Owner', kind: 'root' });
    await expect(world.registry.adminResetLockout(outsider.id, user.id)).rejects.toSatisfy((error) =>
      isMfaError(error, 'unknown_user'),
    );
    await world.registry.adminResetLockout(admin.id, user.id);
    expect(await signIn(world, user, phone.authenticator)).toMatchObject({ ok: true });
    await world.registry.adminDeactivateDevice(admin.id, user.id, phone.deviceId);
    expect((await world.registry.listDevices(user.id))[0]?.state).toBe('deactivated');
    expect(world.notifier.last(user.id, 'email', 'device_deactivated')).toBeDefined();
    const audit = await world.registry.listAudit();
    expect(audit.find((record) => record.event === 'device_deactivated')).toMatchObject({
      actor: admin.id,
      userId: user.id,
    });
  });
});

describe('devices', () => {
  it('refuses a 9th device and changes nothing', async () => {
    const store = new MemoryRegistryStore();
    const world = createMfaWorld({ store });
    const user = await signUp(world, { name: 'Collector' });
    for (let i = 0; i < 8; i++) await enrollPhone(world, user, { name: `phone ${i}` });
    const before = inspectMemoryStore(store).snapshot();
    await expect(world.registry.createVirtualDevice(user.id, { name: 'ninth' })).rejects.toSatisfy((error) =>
      isMfaError(error, 'device_limit'),
    );
    expect(inspectMemoryStore(store).snapshot()).toEqual(before);
  });

  it('refuses to enable an expired pending device, which never signs in', async () => {
    const store = new MemoryRegistryStore();
    const world = createMfaWorld({ store });
    const user = await signUp(world, { name: 'Slowpoke' });
    const { authenticator } = await enrollPhone(world, user);
    const enrollment = await world.registry.createVirtualDevice(user.id, { name: 'second phone' });
    const { VirtualAuthenticator } = await import('@mfakit/testing');
    const pendingPhone = VirtualAuthenticator.fromUri(enrollment.otpauthUri, { clock: world.clock });
    expect(await world.registry.verifySignIn(user.id, pendingPhone.code())).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    world.clock.advance(10 * 60_000);
    const [code1, code2] = pendingPhone.nextCodes(2) as [string, string];
    const before = inspectMemoryStore(store).snapshot();
    await expect(world.registry.enableDevice(user.id, enrollment.deviceId, code1, code2)).rejects.toSatisfy((error) =>
      isMfaError(error, 'pending_expired'),
    );
    expect(inspectMemoryStore(store).snapshot()).toEqual(before);
    // Creating another device clears the expired one.
    world.clock.step();
    await world.registry.createVirtualDevice(user.id, { name: 'third phone' });
    expect((await world.registry.listDevices(user.id)).map((device) => device.name)).toEqual(['phone', 'third phone']);
    expect((await signIn(world, user, authenticator)).ok).toBe(true);
  });

  it('leaves a device pending after wrong or non-consecutive codes', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Fumbler' });
    const enrollment = await world.registry.createVirtualDevice(user.id, { name: 'phone' });
    const { VirtualAuthenticator } = await import('@mfakit/testing');
    const phone = VirtualAuthenticator.fromUri(enrollment.otpauthUri, { clock: world.clock });
    const step = phone.step();
    const same = phone.codeAtStep(step);
    expect(await world.registry.enableDevice(user.id, enrollment.deviceId, same, same)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const reversed = [phone.codeAtStep(step + 1), phone.codeAtStep(step)] as const;
    expect(await world.registry.enableDevice(user.id, enrollment.deviceId, ...reversed)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect((await world.registry.listDevices(user.id))[0]?.state).toBe('pending');
  });
});

describe('hardware tokens', () => {
  it('imports a seed file, assigns a token by serial, signs in with it, and refuses the serial to anyone else', async () => {
    const store = new MemoryRegistryStore();
    const world = createMfaWorld({ store });
    const seeds = TokenSeedFile.generate(3);
    expect(await world.registry.importHardwareTokens(seeds.csv, { actor: 'admin' })).toEqual({
      serials: ['GAHT00000001', 'GAHT00000002', 'GAHT00000003'],
    });
    const bob = await signUp(world, { name: 'Bob' });
    const { deviceId, token } = await enrollHardwareToken(world, bob, seeds, 'GAHT00000002');
    expect(await signIn(world, bob, token)).toMatchObject({ ok: true, deviceId, deviceKind: 'hardware' });

    const carol = await signUp(world, { name: 'Carol' });
    const stolen = seeds.device('GAHT00000002', { clock: world.clock });
    const [code1, code2] = stolen.nextCodes(2) as [string, string];
    const before = inspectMemoryStore(store).snapshot();
    await expect(world.registry.assignHardwareDevice(carol.id, 'GAHT00000002', code1, code2)).rejects.toSatisfy(
      (error) => isMfaError(error, 'unknown_serial'),
    );
    expect(inspectMemoryStore(store).snapshot()).toEqual(before);
    await expect(world.registry.importHardwareTokens(seeds.csv)).rejects.toSatisfy((error) =>
      isMfaError(error, 'serial_exists'),
    );
    expect(inspectMemoryStore(store).snapshot()).toEqual(before);
  });

  it('does not assign a token for wrong codes', async () => {
    const world = createMfaWorld();
    const seeds = TokenSeedFile.generate(1, { serialPrefix: 'OTP' });
    await world.registry.importHardwareTokens(seeds.csv);
    const dave = await signUp(world, { name: 'Dave' });
    const token = seeds.device('OTP00000001', { clock: world.clock });
    const result = await world.registry.assignHardwareDevice(dave.id, 'OTP00000001', wrongCode(token), token.code());
    expect(result).toEqual({ ok: false, reason: 'mismatch' });
    expect(await world.registry.listDevices(dave.id)).toEqual([]);
  });
});
