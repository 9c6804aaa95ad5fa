import type { Notification } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, signUp } from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

/** A root user with a phone who started lost-device recovery; `failOn` makes those notices throw. */
async function recoveryWithFlakyNotifier(failOn: (notification: Notification) => boolean) {
  const world = createMfaWorld();
  const user = await signUp(world, { name: 'Unreachable', kind: 'root' });
  const phone = await enrollPhone(world, user);
  const { sessionId } = await world.registry.startRecovery(user.id);
  const emailCode = world.notifier.lastCode(user.id, 'email') as string;
  const phoneCode = world.notifier.lastCode(user.id, 'phone') as string;
  const send = world.notifier.send.bind(world.notifier);
  const attempted: string[] = [];
  world.notifier.send = async (notification) => {
    attempted.push(`${notification.kind}:${notification.channel}`);
    if (failOn(notification)) throw new Error(`gateway refused ${notification.to}`);
    return send(notification);
  };
  const complete = () => world.registry.completeRecovery(sessionId, emailCode, phoneCode);
  return { world, user, phone, sessionId, attempted, complete };
}

describe('completeRecovery reports notices it could not send instead of throwing after the commit', () => {
  it('sends both notices and reports none failed', async () => {
    const { world, user, phone, complete } = await recoveryWithFlakyNotifier(() => false);
    expect(await complete()).toEqual({
      ok: true,
      userId: user.id,
      deactivatedDeviceIds: [phone.deviceId],
      failedNotices: [],
    });
    expect(world.notifier.last(user.id, 'email', 'recovery_completed')).toBeDefined();
    expect(world.notifier.last(user.id, 'phone', 'recovery_completed')).toBeDefined();
    expect((await world.registry.listAudit()).some((record) => record.event === 'notice_failed')).toBe(false);
  });

  it('an email notice that throws: success with failedNotices [email], the SMS still sent, the failure audited', async () => {
    const { world, user, phone, sessionId, attempted, complete } = await recoveryWithFlakyNotifier(
      (notification) => notification.kind === 'recovery_completed' && notification.channel === 'email',
    );
    expect(await complete()).toEqual({
      ok: true,
      userId: user.id,
      deactivatedDeviceIds: [phone.deviceId],
      failedNotices: ['email'],
    });
    expect(attempted).toEqual(['recovery_completed:email', 'recovery_completed:phone']);
    expect(world.notifier.last(user.id, 'phone', 'recovery_completed')).toBeDefined();
    expect(world.notifier.last(user.id, 'email', 'recovery_completed')).toBeUndefined();

    const audit = await world.registry.listAudit();
    const failed = audit.filter((record) => record.event === 'notice_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      actor: 'system',
      userId: user.id,
      deviceId: null,
      outcome: 'fail',
      detail: { sessionId, channel: 'email', kind: 'recovery_completed' },
    });
    // The notice failure is recorded after the committed recovery, and the chain still verifies.
    const events = audit.map((record) => record.event);
    expect(events.indexOf('notice_failed')).toBeGreaterThan(events.indexOf('recovery_completed'));
    expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    // The recovery did happen: a second submission finds the session closed.
    expect(await complete()).toMatchObject({ ok: false, reason: 'closed' });
    expect((await world.registry.listDevices(user.id)).map((device) => device.state)).toEqual(['deactivated']);
  });

  it('both notices failing: both reported and audited, the recovery still complete', async () => {
    const { world, user, sessionId, complete } = await recoveryWithFlakyNotifier(
      (notification) => notification.kind === 'recovery_completed',
    );
    expect(await complete()).toMatchObject({ ok: true, failedNotices: ['email', 'phone'] });
    const failed = (await world.registry.listAudit()).filter((record) => record.event === 'notice_failed');
    expect(failed.map((record) => record.detail.channel)).toEqual(['email', 'phone']);
    expect(await world.store.recoverySessions.get(sessionId)).toMatchObject({ state: 'completed' });
    expect((await world.registry.listDevices(user.id)).map((device) => device.state)).toEqual(['deactivated']);
  });
});
