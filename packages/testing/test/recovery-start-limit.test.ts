import { isMfaError } from '@mfakit/core';
import { RetryLaterError } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, type MfaWorld, signUp } from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function refusal(world: MfaWorld, userId: string): Promise<RetryLaterError> {
  const error = await world.registry.startRecovery(userId).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof RetryLaterError)) throw new Error(`expected a RetryLaterError, got ${String(error)}`);
  return error;
}

async function rootUser(options: Parameters<typeof createMfaWorld>[0] = {}) {
  const world = createMfaWorld(options);
  const user = await signUp(world, { name: 'Lost Phone', kind: 'root' });
  await enrollPhone(world, user);
  return { world, user };
}

describe('startRecovery is rate-limited per user', () => {
  it('refuses a second start within a minute: recovery_rate_limited, retry time, nothing sent, audited', async () => {
    const { world, user } = await rootUser();
    const { sessionId } = await world.registry.startRecovery(user.id);
    const emailCode = world.notifier.lastCode(user.id, 'email') as string;
    const phoneCode = world.notifier.lastCode(user.id, 'phone') as string;
    const sent = world.notifier.messages.length;

    world.clock.advance(20_000);
    const error = await refusal(world, user.id);
    expect(isMfaError(error, 'recovery_rate_limited')).toBe(true);
    expect(error).toMatchObject({ retryAfterMs: 40_000, retryAt: world.clock.now() + 40_000 });
    expect(error.message).toContain('40 s');
    expect(error.message).not.toContain(emailCode);
    expect(error.message).not.toContain(phoneCode);
    expect(world.notifier.messages).toHaveLength(sent);
    const audit = await world.registry.listAudit();
    expect(audit.at(-1)).toMatchObject({
      event: 'recovery_start_limited',
      actor: user.id,
      userId: user.id,
      outcome: 'fail',
      detail: { retryAfterMs: 40_000 },
    });

    // The refused start did not supersede the session in progress: its codes still work.
    expect(await world.registry.completeRecovery(sessionId, emailCode, phoneCode)).toMatchObject({ ok: true });
  });

  it('allows 5 starts an hour by default, then waits until the oldest leaves the hour', async () => {
    const { world, user } = await rootUser();
    const first = world.clock.now();
    for (let i = 0; i < 5; i++) {
      await world.registry.startRecovery(user.id);
      world.clock.advance(MINUTE);
    }
    const error = await refusal(world, user.id);
    expect(error.retryAt).toBe(first + HOUR);
    expect(error.retryAfterMs).toBe(first + HOUR - world.clock.now());
    expect(world.notifier.messages.filter((message) => message.kind === 'recovery_code')).toHaveLength(10);

    world.clock.set(first + HOUR - 1);
    await refusal(world, user.id);
    world.clock.set(first + HOUR);
    expect((await world.registry.startRecovery(user.id)).sessionId).toMatch(/^rec_/);
  });

  it('takes its limits from the options', async () => {
    const { world, user } = await rootUser({
      maxRecoveryStarts: 2,
      recoveryStartWindowMs: 10 * MINUTE,
      recoveryStartIntervalMs: 0,
    });
    const first = world.clock.now();
    await world.registry.startRecovery(user.id);
    await world.registry.startRecovery(user.id); // no interval
    expect((await refusal(world, user.id)).retryAt).toBe(first + 10 * MINUTE);
    world.clock.advance(10 * MINUTE);
    await world.registry.startRecovery(user.id);
  });

  it('counts each user apart', async () => {
    const world = createMfaWorld({ maxRecoveryStarts: 1 });
    const alice = await signUp(world, { name: 'Alice', kind: 'root' });
    const bob = await signUp(world, { name: 'Bob', kind: 'root' });
    await world.registry.startRecovery(alice.id);
    await world.registry.startRecovery(bob.id);
    await refusal(world, alice.id);
  });

  it('lets one of 10 concurrent starts through and sends one email and one SMS', async () => {
    const { world, user } = await rootUser();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => world.registry.startRecovery(user.id)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(isMfaError(result.reason, 'recovery_rate_limited')).toBe(true);
    }
    expect(world.notifier.messages.map((message) => message.channel).sort()).toEqual(['email', 'phone']);
    const events = (await world.registry.listAudit()).map((record) => record.event);
    expect(events.filter((event) => event === 'recovery_started')).toHaveLength(1);
    expect(events.filter((event) => event === 'recovery_start_limited')).toHaveLength(9);
  });

  it('checks who may recover before the limit: a member is refused as before, without an audit record', async () => {
    const world = createMfaWorld();
    const member = await signUp(world, { name: 'Member' });
    const before = (await world.registry.listAudit()).length;
    await expect(world.registry.startRecovery(member.id)).rejects.toSatisfy((error) =>
      isMfaError(error, 'recovery_not_available'),
    );
    expect(await world.registry.listAudit()).toHaveLength(before);
  });
});
