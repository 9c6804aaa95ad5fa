/**
 * The round batcher alone (no database): who goes in which round, in what order, and what a
 * round's failure does to its calls.
 */
import { describe, expect, it } from 'vitest';
import { RoundBatcher } from '../src/round-batcher.js';

/** The end of the event loop's turn, when the batcher starts rounds. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A batcher whose rounds are held until `release()`; records each round's items. */
function heldBatcher(options: { maxBatch?: number; maxInFlight?: number; fail?: (round: number) => unknown } = {}) {
  const rounds: string[][] = [];
  const gates: (() => void)[] = [];
  const batcher = new RoundBatcher<string, string>({
    maxBatch: options.maxBatch ?? 64,
    maxInFlight: options.maxInFlight ?? 1,
    write: async (items) => {
      const index = rounds.push(items) - 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      const failure = options.fail?.(index);
      if (failure !== undefined) throw failure;
      return items.map((item) => `done ${item}`);
    },
  });
  const release = async () => {
    // Open every held gate, then let the next rounds start (they start at the end of a turn).
    for (const open of gates.splice(0)) open();
    await turn(); // the round settles and asks for a turn
    await turn();
  };
  return { batcher, rounds, release };
}

describe('RoundBatcher', () => {
  it('sends the calls of one turn together, and those that come while it is in flight in the next round', async () => {
    const { batcher, rounds, release } = heldBatcher();
    const first = ['a', 'b'].map((item) => batcher.submit(item));
    expect(rounds).toEqual([]); // nothing before the turn ends
    await turn();
    expect(rounds).toEqual([['a', 'b']]);
    const rest = ['c', 'd', 'e'].map((item) => batcher.submit(item));
    await turn();
    expect(rounds).toEqual([['a', 'b']]); // one round in flight at most
    await release();
    expect(await Promise.all(first)).toEqual(['done a', 'done b']);
    expect(rounds).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    await release();
    expect(await Promise.all(rest)).toEqual(['done c', 'done d', 'done e']);
  });

  it('puts at most one call per key in a round; the others keep their order for later rounds', async () => {
    const { batcher, rounds, release } = heldBatcher();
    const calls = [
      batcher.submit('x0'),
      batcher.submit('u1', 'user-1'),
      batcher.submit('u1-again', 'user-1'),
      batcher.submit('u2', 'user-2'),
      batcher.submit('u1-third', 'user-1'),
      batcher.submit('free'),
    ];
    await turn();
    for (let i = 0; i < 3; i++) await release();
    expect(rounds).toEqual([['x0', 'u1', 'u2', 'free'], ['u1-again'], ['u1-third']]);
    expect(await Promise.all(calls)).toEqual(
      ['x0', 'u1', 'u1-again', 'u2', 'u1-third', 'free'].map((item) => `done ${item}`),
    );
  });

  it('keeps rounds to maxBatch calls and maxInFlight rounds at once', async () => {
    const { batcher, rounds, release } = heldBatcher({ maxBatch: 2, maxInFlight: 2 });
    const calls = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((item) => batcher.submit(item));
    await turn();
    expect(rounds).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    await release();
    expect(rounds).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f'], ['g']]);
    await release();
    expect(await Promise.all(calls)).toHaveLength(7);
  });

  it('fails every call of a failed round with its error, and later rounds still run', async () => {
    const boom = new Error('connection terminated');
    const { batcher, release } = heldBatcher({ fail: (round) => (round === 1 ? boom : undefined) });
    const first = batcher.submit('a');
    await turn();
    const second = [batcher.submit('b'), batcher.submit('c')].map((call) => call.catch((error: unknown) => error));
    await release();
    await release();
    expect(await first).toBe('done a');
    expect(await Promise.all(second)).toEqual([boom, boom]);
    const later = batcher.submit('d');
    await turn();
    await release();
    expect(await later).toBe('done d');
  });

  it('runs a round lost to a deadlock again, and gives up after `attempts` runs', async () => {
    let runs = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const batcher = new RoundBatcher<string, string>({
      maxBatch: 8,
      maxInFlight: 1,
      attempts: 3,
      write: async (items) => {
        runs++;
        if (items[0] === 'stuck' || runs === 1) throw deadlock;
        return items;
      },
    });
    expect(await batcher.submit('once')).toBe('once');
    expect(runs).toBe(2);
    runs = 10;
    expect(await batcher.submit('stuck').catch((error: unknown) => error)).toBe(deadlock);
    expect(runs).toBe(13);
  });
});
