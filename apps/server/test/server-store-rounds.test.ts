/**
 * The PostgreSQL server store's rounds alone (the database replaced by maps): rate-limit hits
 * summed per key and window, each answered with the count it would have got one after the
 * other; lookups of one turn read together, each answered with its own row; a failed round
 * failing its own calls only.
 */
import { expect, test } from 'vitest';
import { LookupRounds, RateLimitRounds, type WriteHits } from '../src/server-store-rounds.js';

/** A write that keeps totals in a map, records each round, and fails when `fail` says so. */
function countingWrite(fail: (round: number) => boolean = () => false) {
  const totals = new Map<string, number>();
  const rounds: { keys: string[]; starts: number[]; hits: number[] }[] = [];
  let release: () => void = () => {};
  let held = false;
  const write: WriteHits = async (keys, starts, hits) => {
    const round = rounds.push({ keys, starts, hits }) - 1;
    if (held) await new Promise<void>((resolve) => (release = resolve));
    if (fail(round)) throw new Error('connection terminated');
    return keys.map((key, i) => {
      const id = `${starts[i]}/${key}`;
      const total = (totals.get(id) ?? 0) + (hits[i] as number);
      totals.set(id, total);
      return total;
    });
  };
  return { write, rounds, totals, hold: () => (held = true), release: () => release() };
}

test('sums the hits of one turn per key and window, each answered with its place in the count', async () => {
  const { write, rounds, totals } = countingWrite();
  totals.set('0/ip:a', 7);
  const limits = new RateLimitRounds(write);
  const answers = await Promise.all([
    limits.hit('ip:a', 0),
    limits.hit('ip:b', 0),
    limits.hit('ip:a', 0),
    limits.hit('ip:a', 60_000), // another window: another row
    limits.hit('ip:a', 0),
  ]);
  expect(rounds).toEqual([{ keys: ['ip:a', 'ip:b', 'ip:a'], starts: [0, 0, 60_000], hits: [3, 1, 1] }]);
  expect(answers).toEqual([8, 1, 9, 1, 10]);
});

test('hits taken while a round is in flight go in the next round, summed', async () => {
  const { write, rounds, hold, release } = countingWrite();
  const limits = new RateLimitRounds(write);
  hold();
  const first = limits.hit('k', 0);
  await new Promise((resolve) => setImmediate(resolve));
  expect(rounds).toHaveLength(1);
  const later = [limits.hit('k', 0), limits.hit('k', 0)];
  await new Promise((resolve) => setImmediate(resolve));
  expect(rounds).toHaveLength(1); // one round in flight at a time
  release();
  expect(await first).toBe(1);
  await new Promise((resolve) => setImmediate(resolve));
  release();
  expect(await Promise.all(later)).toEqual([2, 3]);
  expect(rounds.map((round) => round.hits)).toEqual([[1], [2]]);
});

test('a failed round fails its hits and counts nothing; the next round counts from where it was', async () => {
  const { write, totals } = countingWrite((round) => round === 0);
  const limits = new RateLimitRounds(write);
  const failed = await Promise.all([limits.hit('k', 0), limits.hit('k', 0)].map((hit) => hit.catch((e: unknown) => e)));
  expect(failed.map((error) => (error as Error).message)).toEqual(['connection terminated', 'connection terminated']);
  expect(totals.get('0/k')).toBeUndefined();
  expect(await limits.hit('k', 0)).toBe(1);
});

test('lookups of one turn share one read; each gets its own row, or undefined', async () => {
  const rows = new Map([
    ['a', { id: 'a', n: 1 }],
    ['b', { id: 'b', n: 2 }],
  ]);
  const reads: string[][] = [];
  let fail = false;
  const lookups = new LookupRounds<{ id: string; n: number }>(async (keys) => {
    reads.push(keys);
    if (fail) throw new Error('connection terminated');
    return keys.flatMap((key) => {
      const row = rows.get(key);
      return row === undefined ? [] : [{ key, row }];
    });
  });
  const answers = await Promise.all(['b', 'missing', 'a', 'b'].map((key) => lookups.get(key)));
  expect(reads).toEqual([['a', 'b', 'missing']]);
  expect(answers).toEqual([rows.get('b'), undefined, rows.get('a'), rows.get('b')]);
  fail = true;
  const failed = await Promise.all(['a', 'c'].map((key) => lookups.get(key).catch((error: unknown) => error)));
  expect(failed.map((error) => (error as Error).message)).toEqual(['connection terminated', 'connection terminated']);
  fail = false;
  rows.set('c', { id: 'c', n: 3 });
  expect(await lookups.get('c')).toEqual({ id: 'c', n: 3 }); // a later round reads what is there now
});
