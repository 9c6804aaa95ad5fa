import { isMfaError } from '@mfakit/core';
import { ConsoleNotifier, publicOutcome, RECOVERY_CODE_BITS } from '@mfakit/registry';
import { createMfaWorld, enrollPhone, signIn, signUp } from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

describe('recovery codes', () => {
  it('generates 10 readable codes of 80 bits, each usable once, in any case and spacing', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Saver' });
    const codes = await world.registry.generateRecoveryCodes(user.id);
    expect(RECOVERY_CODE_BITS).toBeGreaterThanOrEqual(64);
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(codes).size).toBe(10);
    const typed = (codes[0] as string).toLowerCase().replaceAll('-', ' ');
    expect(await world.registry.useRecoveryCode(user.id, typed)).toEqual({ ok: true, userId: user.id, remaining: 9 });
    const again = await world.registry.useRecoveryCode(user.id, codes[0] as string);
    expect(again).toMatchObject({ ok: false, reason: 'replayed', failureCount: 0 }); // see recovery-code-reuse.test.ts
    expect(publicOutcome(again)).toEqual({ ok: false });
    expect(await world.registry.useRecoveryCode(user.id, codes[1] as string)).toMatchObject({ ok: true, remaining: 8 });
    const audit = (await world.registry.listAudit()).filter((record) => record.event === 'recovery_code_used');
    expect(audit.map((record) => record.detail.index)).toEqual([0, 1]);
  });

  it('regenerating invalidates the old codes', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Regenerator' });
    const old = await world.registry.generateRecoveryCodes(user.id);
    const fresh = await world.registry.generateRecoveryCodes(user.id);
    expect(await world.registry.useRecoveryCode(user.id, old[0] as string)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect((await world.registry.useRecoveryCode(user.id, fresh[0] as string)).ok).toBe(true);
  });

  it('throttles and locks wrong recovery codes like OTPs, separately from OTP lockout', async () => {
    const world = createMfaWorld({ maxRecoveryCodeFailures: 4 });
    const user = await signUp(world, { name: 'Brute' });
    const codes = await world.registry.generateRecoveryCodes(user.id);
    const guess = 'AAAA-BBBB-CCCC-DDDD';
    for (let i = 1; i <= 4; i++) {
      const result = await world.registry.useRecoveryCode(user.id, guess);
      expect(result).toMatchObject({ ok: false, reason: 'mismatch', failureCount: i, locked: i === 4 });
      if (i === 3) {
        expect(await world.registry.useRecoveryCode(user.id, codes[0] as string)).toMatchObject({
          reason: 'throttled',
        });
      }
      if (!result.ok) world.clock.advance(result.retryAfterMs);
    }
    expect(await world.registry.useRecoveryCode(user.id, codes[0] as string)).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect((await world.store.attempts.get(user.id, 'otp')).failureCount).toBe(0);
  });

  it('lets exactly one of concurrent uses of one code succeed', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Racer' });
    const [code] = await world.registry.generateRecoveryCodes(user.id);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => world.registry.useRecoveryCode(user.id, code as string)),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });
});

describe('lost-device recovery', () => {
  async function started() {
    const world = createMfaWorld({ recoveryMaxAttempts: 3 });
    const user = await signUp(world, { name: 'Loser', kind: 'root' });
    const phone = await enrollPhone(world, user);
    const { sessionId, expiresAt } = await world.registry.startRecovery(user.id);
    const emailCode = world.notifier.lastCode(user.id, 'email') as string;
    const phoneCode = world.notifier.lastCode(user.id, 'phone') as string;
    return { world, user, phone, sessionId, expiresAt, emailCode, phoneCode };
  }

  it('sends different 8-digit codes to the email and the phone', async () => {
    const { world, user, emailCode, phoneCode, expiresAt } = await started();
    expect(emailCode).toMatch(/^[0-9]{8}$/);
    expect(phoneCode).toMatch(/^[0-9]{8}$/);
    expect(world.notifier.last(user.id, 'email')?.to).toBe(user.email);
    expect(world.notifier.last(user.id, 'phone')?.to).toBe(user.phone);
    expect(expiresAt).toBe(world.clock.now() + 15 * 60_000);
  });

  it('needs both codes, and limits attempts', async () => {
    const { world, user, sessionId, emailCode, phoneCode } = await started();
    const wrong = phoneCode === '00000000' ? '11111111' : '00000000';
    expect(await world.registry.completeRecovery(sessionId, emailCode, wrong)).toEqual({
      ok: false,
      reason: 'mismatch',
      attemptsLeft: 2,
    });
    expect(await world.registry.completeRecovery(sessionId, wrong, phoneCode)).toMatchObject({ attemptsLeft: 1 });
    expect(await world.registry.completeRecovery(sessionId, phoneCode, emailCode)).toMatchObject({ attemptsLeft: 0 });
    // Used up: even the right codes are refused now (the session is not closed, so a valid
    // completion already in flight would still win; it stays unusable until it expires).
    expect(await world.registry.completeRecovery(sessionId, emailCode, phoneCode)).toMatchObject({
      ok: false,
      reason: 'attempts_exhausted',
    });
    expect((await world.registry.listDevices(user.id))[0]?.state).toBe('active');
  });

  it('completes when the valid try races with tries that use up the session', async () => {
    const { world, sessionId, emailCode, phoneCode } = await started();
    const wrong = phoneCode === '00000000' ? '11111111' : '00000000';
    // maxAttempts 3: the valid try is among the first three counted, whatever the others do.
    const results = await Promise.all([
      world.registry.completeRecovery(sessionId, emailCode, phoneCode),
      ...Array.from({ length: 9 }, () => world.registry.completeRecovery(sessionId, emailCode, wrong)),
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });

  it('expires', async () => {
    const { world, sessionId, emailCode, phoneCode } = await started();
    world.clock.advance(15 * 60_000);
    expect(await world.registry.completeRecovery(sessionId, emailCode, phoneCode)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('a new start does not close a session in progress; completing one closes the others', async () => {
    const { world, user, sessionId, emailCode, phoneCode } = await started();
    world.clock.advance(60_000); // the least interval between two starts
    const second = await world.registry.startRecovery(user.id);
    expect(await world.registry.completeRecovery(sessionId, emailCode, phoneCode)).toMatchObject({ ok: true });
    // The other session's codes can no longer deactivate devices enrolled after the recovery.
    const secondEmail = world.notifier.lastCode(user.id, 'email') as string;
    const secondPhone = world.notifier.lastCode(user.id, 'phone') as string;
    expect(await world.registry.completeRecovery(second.sessionId, secondEmail, secondPhone)).toMatchObject({
      ok: false,
      reason: 'closed',
    });
  });

  it('a third party starting recovery whenever allowed cannot keep the user from recovering', async () => {
    // The attack that used to work: every start closed the session in progress and all starts
    // shared one quota, so over 6 hours the victim completed 0 recoveries. Now a start closes
    // nothing and each message names its session: when the victim's own start is refused, the
    // codes of a start by the third party reach the victim's email and phone, and complete it.
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Victim', kind: 'root' });
    await enrollPhone(world, user);
    const wishes: number[] = [];
    const waits: number[] = [];
    let refusedStarts = 0;
    let typed: { sessionId: string; email: string; phone: string; at: number } | undefined;
    const tryStart = async () => {
      try {
        await world.registry.startRecovery(user.id);
      } catch (error) {
        if (!isMfaError(error, 'recovery_rate_limited')) throw error;
        refusedStarts++;
      }
    };
    for (let minute = 0; minute < 6 * 60; minute++) {
      await tryStart(); // the third party, whenever the limit allows it
      if (minute % 45 === 0) wishes.push(minute); // the victim lost their phone again
      if (wishes.length > waits.length) {
        if (typed !== undefined && minute >= typed.at) {
          // Two minutes after reading them, the victim has typed both codes in.
          const result = await world.registry.completeRecovery(typed.sessionId, typed.email, typed.phone);
          typed = undefined;
          if (result.ok) {
            waits.push(minute - (wishes[waits.length] as number));
            await enrollPhone(world, user);
          }
        }
        if (typed === undefined) {
          await tryStart(); // the victim's own start (often refused: the third party used the quota)
          // The victim reads the newest codes that reached their email and phone.
          const email = world.notifier.last(user.id, 'email', 'recovery_code');
          const phone = world.notifier.last(user.id, 'phone', 'recovery_code');
          if (email?.sessionId !== undefined && phone?.sessionId === email.sessionId) {
            typed = {
              sessionId: email.sessionId,
              email: email.code as string,
              phone: phone.code as string,
              at: minute + 2,
            };
          }
        }
      }
      world.clock.advance(60_000);
    }
    expect(refusedStarts).toBeGreaterThan(0);
    expect(wishes).toHaveLength(8);
    // Every wish was granted, each within the hour the start limit counts in (closing the
    // session in progress on every start, as before, granted 6 of 8 and made one wait 76 min).
    expect(waits).toHaveLength(wishes.length);
    expect(Math.max(...waits)).toBeLessThanOrEqual(60);
  });

  it('completes once, deactivating every device and revoking recovery codes', async () => {
    const { world, user, phone, sessionId, emailCode, phoneCode } = await started();
    const codes = await world.registry.generateRecoveryCodes(user.id);
    const results = await Promise.all([
      world.registry.completeRecovery(sessionId, emailCode, phoneCode),
      world.registry.completeRecovery(sessionId, emailCode, phoneCode),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect((await world.registry.listDevices(user.id)).map((device) => device.state)).toEqual(['deactivated']);
    expect(await world.registry.useRecoveryCode(user.id, codes[0] as string)).toMatchObject({ ok: false });
    await expect(signIn(world, user, phone.authenticator)).rejects.toSatisfy((error) =>
      isMfaError(error, 'no_active_device'),
    );
    const events = (await world.registry.listAudit()).map((record) => record.event);
    expect(events).toContain('recovery_started');
    expect(events).toContain('recovery_completed');
  });

  it('ConsoleNotifier writes each message as one line', async () => {
    const lines: string[] = [];
    const notifier = new ConsoleNotifier((line) => lines.push(line));
    await notifier.send({
      channel: 'email',
      to: 'a@example.test',
      userId: 'u',
      kind: 'recovery_completed',
      subject: 'S',
      text: 'T',
    });
    expect(lines).toEqual(['[mfakit email to a@example.test] S: T']);
  });
});

describe('credential report', () => {
  it('lists every user with MFA status as typed rows and CSV', async () => {
    const world = createMfaWorld();
    const alice = await signUp(world, { name: 'Alice', kind: 'root', id: 'alice' });
    const bob = await signUp(world, { name: '=cmd|calc, "evil"', id: 'bob', accountId: alice.accountId });
    const phone = await enrollPhone(world, alice);
    await signIn(world, alice, phone.authenticator);
    await world.registry.createVirtualDevice(bob.id, { name: 'pending' });
    await world.registry.generateRecoveryCodes(alice.id);
    const report = await world.registry.credentialReport();
    expect(report.rows).toEqual([
      {
        user: 'Alice',
        userId: alice.id,
        accountId: alice.accountId,
        kind: 'root',
        mfaActive: true,
        deviceCount: 1,
        deviceKinds: ['virtual'],
        pendingDeviceCount: 0,
        flaggedSecurityKeys: 0,
        lastMfaUsedAt: world.clock.now(),
        failedAttempts: 0,
        locked: false,
        recoveryCodesRemaining: 10,
      },
      {
        user: '=cmd|calc, "evil"',
        userId: bob.id,
        accountId: alice.accountId,
        kind: 'member',
        mfaActive: false,
        deviceCount: 0,
        deviceKinds: [],
        pendingDeviceCount: 1,
        flaggedSecurityKeys: 0,
        lastMfaUsedAt: null,
        failedAttempts: 0,
        locked: false,
        recoveryCodesRemaining: 0,
      },
    ]);
    const lines = report.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'user,user_id,account_id,kind,mfa_active,device_count,device_kinds,pending_device_count,flagged_security_keys,last_mfa_used,failed_attempts,locked,recovery_codes_remaining',
    );
    expect(lines[1]).toBe(
      `Alice,${alice.id},${alice.accountId},root,true,1,virtual,0,0,${new Date(world.clock.now()).toISOString()},0,false,10`,
    );
    expect(lines[2]).toBe(`"'=cmd|calc, ""evil""",${bob.id},${alice.accountId},member,false,0,,1,0,N/A,0,false,0`);
  });
});

describe('removing a device, and recovery for the signed-in user only', () => {
  it('a user removes their own device (audited via self, told by email); not twice, not another user’s', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Remover', kind: 'root' });
    const other = await signUp(world, { name: 'Other', kind: 'root' });
    const phone = await enrollPhone(world, user);
    const theirs = await enrollPhone(world, other);
    await expect(world.registry.removeDevice(user.id, theirs.deviceId)).rejects.toSatisfy((error) =>
      isMfaError(error, 'unknown_device'),
    );
    expect(await world.registry.removeDevice(user.id, phone.deviceId)).toEqual({ failedNotices: [] });
    expect((await world.registry.listDevices(user.id))[0]?.state).toBe('deactivated');
    expect(world.notifier.last(user.id, 'email', 'device_deactivated')).toBeDefined();
    const audit = await world.registry.listAudit();
    expect(audit.at(-1)).toMatchObject({ event: 'device_deactivated', actor: user.id, detail: { via: 'self' } });
    await expect(world.registry.removeDevice(user.id, phone.deviceId)).rejects.toSatisfy((error) =>
      isMfaError(error, 'device_state'),
    );
    expect((await world.registry.listDevices(other.id))[0]?.state).toBe('active');
  });

  it('completeRecovery with { userId } answers another user’s session as unknown and changes nothing', async () => {
    const world = createMfaWorld();
    const victim = await signUp(world, { name: 'Victim', kind: 'root' });
    const intruder = await signUp(world, { name: 'Intruder', kind: 'root' });
    await enrollPhone(world, victim);
    const { sessionId } = await world.registry.startRecovery(victim.id);
    const email = world.notifier.lastCode(victim.id, 'email') as string;
    const phone = world.notifier.lastCode(victim.id, 'phone') as string;
    await expect(world.registry.completeRecovery(sessionId, email, phone, { userId: intruder.id })).rejects.toSatisfy(
      (error) => isMfaError(error, 'unknown_recovery_session'),
    );
    expect((await world.registry.listDevices(victim.id))[0]?.state).toBe('active');
    expect(await world.registry.completeRecovery(sessionId, email, phone, { userId: victim.id })).toMatchObject({
      ok: true,
    });
  });
});
