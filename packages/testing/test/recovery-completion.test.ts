import { MemoryRegistryStore } from '@mfakit/registry';
import {
  createMfaWorld,
  enrollPhone,
  FailingStore,
  type FailureTiming,
  InjectedStoreFailure,
  signUp,
} from '@mfakit/testing';
import { describe, expect, it } from 'vitest';
import { wrongCode } from './helpers.js';

/**
 * A root user with two phones, locked out of OTP sign-in, with a failed recovery-code attempt and
 * a set of recovery codes, who has started lost-device recovery: everything `completeRecovery`
 * must undo, on a store that can be told to fail.
 */
async function lockedOutWithRecoveryStarted() {
  const inner = new MemoryRegistryStore();
  const failing = new FailingStore(inner);
  const world = createMfaWorld({ store: failing.store, maxFailures: 3, backoffAfterFailures: 5 });
  const user = await signUp(world, { name: 'Half Done', kind: 'root' });
  const first = await enrollPhone(world, user);
  await enrollPhone(world, user, { name: 'tablet' });
  for (let i = 0; i < 3; i++) await world.registry.verifySignIn(user.id, wrongCode(first.authenticator));
  await world.registry.generateRecoveryCodes(user.id);
  await world.registry.useRecoveryCode(user.id, 'AAAA-BBBB-CCCC-DDDD');
  const { sessionId } = await world.registry.startRecovery(user.id);
  const codes = [
    world.notifier.lastCode(user.id, 'email') as string,
    world.notifier.lastCode(user.id, 'phone') as string,
  ] as const;
  const complete = () => world.registry.completeRecovery(sessionId, ...codes);
  return { inner, failing, world, user, sessionId, complete };
}

type Setup = Awaited<ReturnType<typeof lockedOutWithRecoveryStarted>>;

/** The state completeRecovery changes, read from the real store; 'done' or 'untouched', else a description. */
async function recoveryState({ inner, user, sessionId }: Setup): Promise<'done' | 'untouched' | string> {
  const session = await inner.recoverySessions.get(sessionId);
  const devices = (await inner.devices.list({ userId: user.id })).map((device) => device.state);
  const otp = await inner.attempts.get(user.id, 'otp');
  const recoveryCode = await inner.attempts.get(user.id, 'recovery_code');
  const codes = await inner.recoveryCodes.get(user.id);
  const events = (await inner.audit.list()).map((record) => record.event);
  const count = (event: string) => events.filter((name) => name === event).length;
  const observed = {
    session: session?.state,
    devices: devices.join(','),
    otpLocked: otp.lockedAt !== null,
    failures: otp.failureCount + recoveryCode.failureCount,
    codes: codes !== undefined,
    deactivatedEvents: count('device_deactivated'),
    completedEvents: count('recovery_completed'),
  };
  const done = {
    session: 'completed',
    devices: 'deactivated,deactivated',
    otpLocked: false,
    failures: 0,
    codes: false,
    deactivatedEvents: 2,
    completedEvents: 1,
  };
  const untouched = {
    session: 'open',
    devices: 'active,active',
    otpLocked: true,
    failures: 4,
    codes: true,
    deactivatedEvents: 0,
    completedEvents: 0,
  };
  if (JSON.stringify(observed) === JSON.stringify(done)) return 'done';
  if (JSON.stringify(observed) === JSON.stringify(untouched)) return 'untouched';
  return JSON.stringify(observed);
}

describe('completeRecovery never leaves the recovery half-done', () => {
  it('the setup is what the invariant expects', async () => {
    const setup = await lockedOutWithRecoveryStarted();
    expect(await recoveryState(setup)).toBe('untouched');
    expect(await setup.complete()).toMatchObject({ ok: true });
    expect(await recoveryState(setup)).toBe('done');
  });

  for (const timing of ['before', 'after'] as FailureTiming[]) {
    it(`a store failure ${timing} any one call leaves all or nothing done, and a retry finishes it`, async () => {
      const probe = await lockedOutWithRecoveryStarted();
      probe.failing.watch();
      await probe.complete();
      const callCount = probe.failing.calls.length;
      expect(callCount).toBeGreaterThan(2);

      for (let call = 1; call <= callCount; call++) {
        const setup = await lockedOutWithRecoveryStarted();
        setup.failing.failOn(call, timing);
        const outcome = await setup.complete().then(
          (result) => result,
          (error: unknown) => error,
        );
        setup.failing.heal();
        const failedAt = `${timing} call ${call} (${setup.failing.calls[call - 1]})`;
        expect(outcome, failedAt).toBeInstanceOf(InjectedStoreFailure);

        const after = await recoveryState(setup);
        expect(['done', 'untouched'], `${failedAt}: ${after}`).toContain(after);
        expect((await setup.world.registry.verifyAuditChain()).ok, failedAt).toBe(true);

        const retry = await setup.complete();
        if (after === 'untouched') expect(retry, failedAt).toMatchObject({ ok: true });
        else expect(retry, failedAt).toMatchObject({ ok: false, reason: 'closed' });
        expect(await recoveryState(setup), failedAt).toBe('done');
      }
    });
  }
});
