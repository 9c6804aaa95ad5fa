import { isMfaError } from '@mfakit/core';
import { MemoryRegistryStore, verifyAuditChain } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, recoverLostDevice, signUp, type VirtualAuthenticator } from '@mfakit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type Operation =
  | { kind: 'enroll'; driftSteps: number }
  | { kind: 'signIn'; device: number }
  | { kind: 'signInTwiceAtOnce'; device: number }
  | { kind: 'replay' }
  | { kind: 'randomCode'; code: string }
  | { kind: 'guessBurst'; codes: string[] }
  | { kind: 'advance'; ms: number }
  | { kind: 'resync'; device: number }
  | { kind: 'recoveryCode'; valid: boolean }
  | { kind: 'recover' };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('enroll' as const), driftSteps: fc.integer({ min: -1, max: 1 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('signIn' as const), device: fc.nat(3) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('signInTwiceAtOnce' as const), device: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'replay' as const }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('randomCode' as const), code: fc.stringMatching(/^[0-9]{6}$/) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('guessBurst' as const),
      codes: fc.array(fc.stringMatching(/^[0-9]{6}$/), { minLength: 1, maxLength: 6 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 120_000 }) }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('resync' as const), device: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('recoveryCode' as const), valid: fc.boolean() }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'recover' as const }), weight: 1 },
);

/** MfaErrors a random sequence may legitimately run into (e.g. signing in with no device left). */
const EXPECTED_REFUSALS = new Set(['no_active_device', 'device_limit', 'device_state', 'recovery_rate_limited']);

const MAX_FAILURES = 4;

/** What the runs exercised, so the property cannot pass by never reaching the interesting states. */
const coverage = { lockouts: 0, accepted: 0, replays: 0, recoveries: 0 };

async function run(operations: Operation[]): Promise<void> {
  const store = new MemoryRegistryStore();
  const world = createMfaWorld({
    store,
    maxFailures: MAX_FAILURES,
    maxRecoveryCodeFailures: MAX_FAILURES,
    backoffAfterFailures: 2,
  });
  const user = await signUp(world, { name: 'Property', kind: 'root' });
  const phones: { deviceId: string; authenticator: VirtualAuthenticator }[] = [await enrollPhone(world, user)];
  let recoveryCodes = await world.registry.generateRecoveryCodes(user.id);
  let lastCode: string | undefined;

  for (const op of operations) {
    try {
      switch (op.kind) {
        case 'enroll': {
          const phone = await enrollPhone(world, user, { driftMs: op.driftSteps * 30_000 });
          phones.push(phone);
          break;
        }
        case 'signIn':
        case 'signInTwiceAtOnce': {
          const phone = phones[op.device % Math.max(1, phones.length)];
          if (phone === undefined) break;
          lastCode = phone.authenticator.code();
          const times = op.kind === 'signIn' ? 1 : 2;
          await Promise.all(
            Array.from({ length: times }, () => world.registry.verifySignIn(user.id, lastCode as string)),
          );
          break;
        }
        case 'replay':
          if (lastCode !== undefined) await world.registry.verifySignIn(user.id, lastCode);
          break;
        case 'randomCode':
          await world.registry.verifySignIn(user.id, op.code);
          break;
        case 'guessBurst':
          // An attacker who waits out each back-off before the next guess.
          for (const code of op.codes) {
            const result = await world.registry.verifySignIn(user.id, code);
            if (!result.ok) world.clock.advance(result.retryAfterMs);
          }
          break;
        case 'advance':
          world.clock.advance(op.ms);
          break;
        case 'resync': {
          const phone = phones[op.device % Math.max(1, phones.length)];
          if (phone === undefined) break;
          const [code1, code2] = phone.authenticator.nextCodes(2) as [string, string];
          await world.registry.resyncDevice(user.id, phone.deviceId, code1, code2);
          break;
        }
        case 'recoveryCode': {
          const code = op.valid ? recoveryCodes.shift() : 'ZZZZ-ZZZZ-ZZZZ-ZZZZ';
          if (code === undefined) recoveryCodes = await world.registry.generateRecoveryCodes(user.id);
          else await world.registry.useRecoveryCode(user.id, code);
          break;
        }
        case 'recover':
          await recoverLostDevice(world, user);
          phones.length = 0;
          recoveryCodes = await world.registry.generateRecoveryCodes(user.id);
          break;
      }
    } catch (error) {
      if (!isMfaError(error) || !EXPECTED_REFUSALS.has(error.code)) throw error;
    }

    // Invariant: the failure count never reaches the cap without a lockout.
    for (const scope of ['otp', 'recovery_code'] as const) {
      const state = await store.attempts.get(user.id, scope);
      if (state.failureCount >= MAX_FAILURES)
        expect(state.lockedAt, `${scope} count ${state.failureCount}`).not.toBeNull();
    }
  }

  // Invariant: no step is accepted twice for a device (accepted steps strictly increase).
  const audit = await store.audit.list();
  const accepted = new Map<string, number[]>();
  for (const record of audit) {
    if (record.event !== 'sign_in_succeeded' && record.event !== 'device_resynced' && record.event !== 'device_enabled')
      continue;
    if (record.event === 'sign_in_succeeded') {
      const steps = accepted.get(record.deviceId as string) ?? [];
      steps.push(record.detail.step as number);
      accepted.set(record.deviceId as string, steps);
    }
  }
  for (const [deviceId, steps] of accepted) {
    expect(new Set(steps).size, `device ${deviceId} steps ${steps.join(',')}`).toBe(steps.length);
    for (let i = 1; i < steps.length; i++) expect(steps[i] as number).toBeGreaterThan(steps[i - 1] as number);
  }
  for (const record of audit) {
    if (record.event === 'user_locked_out') coverage.lockouts++;
    if (record.event === 'sign_in_succeeded') coverage.accepted++;
    if (record.event === 'sign_in_replayed') coverage.replays++;
    if (record.event === 'recovery_completed') coverage.recoveries++;
  }
  // Invariant: the audit chain always verifies.
  expect(verifyAuditChain(audit).ok).toBe(true);
}

describe('random interleavings of enroll / verify / resync / recover', () => {
  it('never accept a step twice, never pass the failure cap unlocked, and keep the audit chain valid', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 50 }), (operations) => run(operations)),
      { numRuns: 100 },
    );
    expect(coverage.lockouts).toBeGreaterThan(0);
    expect(coverage.accepted).toBeGreaterThan(0);
    expect(coverage.replays).toBeGreaterThan(0);
    expect(coverage.recoveries).toBeGreaterThan(0);
  });
});
