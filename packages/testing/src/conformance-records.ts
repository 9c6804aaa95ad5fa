/**
 * @module
 * Conformance cases for users, failure counters and recovery codes.
 */
import { describe, expect, it } from 'vitest';
import { plain, SAMPLE_ACCOUNT_ID, SAMPLE_TIME, sampleAccount, sampleUser } from './sample-records.js';
import type { StoreHarness } from './store-harness.js';

export function registerRecordTests(harness: StoreHarness): void {
  describe('accounts', () => {
    it('inserts an account once and reads it back', async () => {
      const store = await harness.fresh();
      expect(await store.accounts.insert(sampleAccount('acct-1'))).toBe(true);
      expect(await store.accounts.insert(sampleAccount('acct-1', { rootUserId: 'impostor' }))).toBe(false);
      expect(await store.accounts.get('acct-1')).toEqual(sampleAccount('acct-1'));
      expect(await store.accounts.get('acct-2')).toBeUndefined();
    });
  });

  describe('users', () => {
    it('inserts and reads a user back unchanged', async () => {
      const store = await harness.fresh();
      const user = sampleUser('alice', { kind: 'root', name: 'Alice Ünïcode' });
      expect(await store.users.insert(user)).toBe(true);
      expect(await store.users.get('alice')).toEqual(user);
      expect(await store.users.get('nobody')).toBeUndefined();
    });

    it('refuses a duplicate id without changing the first user', async () => {
      const store = await harness.fresh();
      await store.users.insert(sampleUser('alice'));
      expect(await store.users.insert(sampleUser('alice', { name: 'Impostor' }))).toBe(false);
      expect((await store.users.get('alice'))?.name).toBe('User alice');
    });

    it('lists users by creation time, then id', async () => {
      const store = await harness.fresh();
      await store.users.insert(sampleUser('c', { createdAt: SAMPLE_TIME + 1 }));
      await store.users.insert(sampleUser('b', { createdAt: SAMPLE_TIME }));
      await store.users.insert(sampleUser('a', { createdAt: SAMPLE_TIME + 1 }));
      expect((await store.users.list()).map((user) => user.id)).toEqual(['b', 'a', 'c']);
      await store.users.insert(sampleUser('z', { accountId: 'acct-2', createdAt: SAMPLE_TIME - 1 }));
      expect((await store.users.list({ accountId: 'acct-2' })).map((user) => user.id)).toEqual(['z']);
      expect((await store.users.list({ accountId: SAMPLE_ACCOUNT_ID })).map((user) => user.id)).toEqual([
        'b',
        'a',
        'c',
      ]);
      expect(await store.users.list({ accountId: 'acct-none' })).toEqual([]);
    });

    it('returns copies', async () => {
      const store = await harness.fresh();
      await store.users.insert(sampleUser('alice'));
      const user = await store.users.get('alice');
      if (user === undefined) throw new Error('missing');
      user.name = 'changed';
      expect((await store.users.get('alice'))?.name).toBe('User alice');
    });
  });

  describe('attempt counters', () => {
    const zero = (userId: string, scope: 'otp' | 'recovery_code' = 'otp') => ({
      userId,
      scope,
      failureCount: 0,
      lastFailureAt: null,
      lockedAt: null,
    });

    it('starts at the zero state and writes only over the state it expects', async () => {
      const store = await harness.fresh();
      expect(await store.attempts.get('u1', 'otp')).toEqual(zero('u1'));
      const one = { failureCount: 1, lastFailureAt: 1000, lockedAt: null };
      expect(await store.attempts.compareAndSet(zero('u1'), one)).toBe(true);
      expect(await store.attempts.get('u1', 'otp')).toEqual({ ...zero('u1'), ...one });
      // The zero state is no longer what is stored: refused, nothing changes.
      expect(await store.attempts.compareAndSet(zero('u1'), { failureCount: 5, lastFailureAt: 9, lockedAt: 9 })).toBe(
        false,
      );
      // Each of count, last failure and lock must match.
      for (const stale of [
        { ...zero('u1'), failureCount: 1, lastFailureAt: 999 },
        { ...zero('u1'), failureCount: 2, lastFailureAt: 1000 },
        { ...zero('u1'), failureCount: 1, lastFailureAt: 1000, lockedAt: 1000 },
      ]) {
        expect(await store.attempts.compareAndSet(stale, { failureCount: 7, lastFailureAt: 7, lockedAt: 7 })).toBe(
          false,
        );
      }
      expect(await store.attempts.get('u1', 'otp')).toEqual({ ...zero('u1'), ...one });
      const locked = { failureCount: 2, lastFailureAt: 2000, lockedAt: 2000 };
      expect(await store.attempts.compareAndSet({ ...zero('u1'), ...one }, locked)).toBe(true);
      expect(await store.attempts.get('u1', 'otp')).toEqual({ ...zero('u1'), ...locked });
    });

    it('keeps users and scopes apart, and resets one of them to the zero state', async () => {
      const store = await harness.fresh();
      const next = (count: number) => ({ failureCount: count, lastFailureAt: count, lockedAt: null });
      await store.attempts.compareAndSet(zero('u1'), next(1));
      await store.attempts.compareAndSet({ ...zero('u1'), ...next(1) }, next(2));
      await store.attempts.compareAndSet(zero('u1', 'recovery_code'), next(1));
      await store.attempts.compareAndSet(zero('u2'), next(1));
      expect((await store.attempts.get('u1', 'otp')).failureCount).toBe(2);
      expect((await store.attempts.get('u1', 'recovery_code')).failureCount).toBe(1);
      await store.attempts.reset('u1', 'otp');
      expect(await store.attempts.get('u1', 'otp')).toEqual(zero('u1'));
      expect((await store.attempts.get('u1', 'recovery_code')).failureCount).toBe(1);
      expect((await store.attempts.get('u2', 'otp')).failureCount).toBe(1);
      // After a reset the zero state is expected again.
      expect(await store.attempts.compareAndSet(zero('u1'), next(1))).toBe(true);
    });

    it('lets exactly one of 20 concurrent writers over the same state win', async () => {
      const store = await harness.fresh();
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.attempts.compareAndSet(zero('u1'), { failureCount: 1, lastFailureAt: 1000 + i, lockedAt: null }),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await store.attempts.get('u1', 'otp')).failureCount).toBe(1);
    });
  });

  describe('recovery codes', () => {
    const set = (userId: string, fill: number) => ({
      userId,
      salt: new Uint8Array(16).fill(fill),
      createdAt: SAMPLE_TIME,
      codes: [0, 1, 2].map((index) => ({ index, hash: new Uint8Array(32).fill(fill + index), usedAt: null })),
    });

    it('stores a set and reads it back', async () => {
      const store = await harness.fresh();
      expect(await store.recoveryCodes.get('u1')).toBeUndefined();
      await store.recoveryCodes.replace(set('u1', 1));
      expect(plain(await store.recoveryCodes.get('u1'))).toEqual(plain(set('u1', 1)));
    });

    /** The hash stored at `index` by `set(userId, fill)`. */
    const hashOf = (fill: number, index: number) => new Uint8Array(32).fill(fill + index);

    it('consumes each code once', async () => {
      const store = await harness.fresh();
      await store.recoveryCodes.replace(set('u1', 1));
      expect(await store.recoveryCodes.consume('u1', 1, hashOf(1, 1), 5000)).toBe(true);
      expect(await store.recoveryCodes.consume('u1', 1, hashOf(1, 1), 6000)).toBe(false);
      expect(await store.recoveryCodes.consume('u1', 7, hashOf(1, 7), 6000)).toBe(false);
      expect(await store.recoveryCodes.consume('u2', 0, hashOf(1, 0), 6000)).toBe(false);
      const codes = (await store.recoveryCodes.get('u1'))?.codes;
      expect(codes?.map((code) => code.usedAt)).toEqual([null, 5000, null]);
    });

    it("keeps a used code's hash, with usedAt, until the set is replaced (a reuse is recognised by it)", async () => {
      const store = await harness.fresh();
      await store.recoveryCodes.replace(set('u1', 1));
      await store.recoveryCodes.consume('u1', 0, hashOf(1, 0), 5000);
      await store.recoveryCodes.consume('u1', 2, hashOf(1, 2), 6000);
      expect(plain(await store.recoveryCodes.get('u1'))).toEqual(
        plain({
          ...set('u1', 1),
          codes: [
            { index: 0, hash: hashOf(1, 0), usedAt: 5000 },
            { index: 1, hash: hashOf(1, 1), usedAt: null },
            { index: 2, hash: hashOf(1, 2), usedAt: 6000 },
          ],
        }),
      );
    });

    it('refuses to consume a code whose hash is not the stored one (a set replaced since it was read)', async () => {
      const store = await harness.fresh();
      await store.recoveryCodes.replace(set('u1', 1));
      await store.recoveryCodes.replace(set('u1', 50));
      // Index 0 of the old set (fill 1) must not consume index 0 of the new set (fill 50).
      expect(await store.recoveryCodes.consume('u1', 0, hashOf(1, 0), 5000)).toBe(false);
      expect(plain(await store.recoveryCodes.get('u1'))).toEqual(plain(set('u1', 50)));
      expect(await store.recoveryCodes.consume('u1', 0, hashOf(50, 0), 5000)).toBe(true);
    });

    it('lets exactly one of 10 concurrent uses of one code win', async () => {
      const store = await harness.fresh();
      await store.recoveryCodes.replace(set('u1', 1));
      const wins = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.recoveryCodes.consume('u1', 0, hashOf(1, 0), 1000 + i)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('replaces the whole set and deletes it', async () => {
      const store = await harness.fresh();
      await store.recoveryCodes.replace(set('u1', 1));
      await store.recoveryCodes.consume('u1', 0, hashOf(1, 0), 1);
      await store.recoveryCodes.replace(set('u1', 50));
      expect(plain(await store.recoveryCodes.get('u1'))).toEqual(plain(set('u1', 50)));
      await store.recoveryCodes.delete('u1');
      expect(await store.recoveryCodes.get('u1')).toBeUndefined();
    });
  });
}
