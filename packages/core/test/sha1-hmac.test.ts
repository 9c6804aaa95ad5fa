/**
 * The hand-specialised HMAC-SHA-1 (src/sha1-hmac.ts, internal) against two independent
 * implementations, @noble/hashes and node:crypto, for random keys on both sides of the 64-byte
 * block size (RFC 2104 §2 hashes longer keys) and random 64-bit counters.
 */
import { createHmac } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { prepareSha1Hmac, sha1HmacCounter, sha1HmacTruncated } from '../src/sha1-hmac.js';
import { counterBytes, toHex } from './support/reference.js';

const RUNS = 10_000;
const key = fc.uint8Array({ minLength: 1, maxLength: 200 });
const counter = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** The counter as the two 32-bit words the core passes: signed (as `| 0` gives) or unsigned. */
function words(value: bigint, signed: boolean): [number, number] {
  const high = Number(value >> 32n);
  const low = Number(value & 0xffffffffn);
  return signed ? [high | 0, low | 0] : [high, low];
}

function truncate(mac: Uint8Array): number {
  const offset = (mac[mac.length - 1] as number) & 0xf;
  return new DataView(mac.buffer, mac.byteOffset).getUint32(offset) & 0x7fffffff;
}

describe('specialised HMAC-SHA-1 over an 8-byte counter', () => {
  test(`full MAC equals @noble/hashes hmac(sha1) and node:crypto (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(key, counter, fc.boolean(), (keyBytes, value, signed) => {
        const message = counterBytes(value);
        const expected = toHex(hmac(sha1, keyBytes, message));
        expect(toHex(createHmac('sha1', keyBytes).update(message).digest())).toBe(expected);
        const [high, low] = words(value, signed);
        expect(toHex(sha1HmacCounter(prepareSha1Hmac(keyBytes), high, low))).toBe(expected);
      }),
      {
        numRuns: RUNS,
        // The block-size boundaries and the extreme counters, every run.
        examples: [
          [new Uint8Array(63).fill(0xa5), 0n, true],
          [new Uint8Array(64).fill(0xa5), (1n << 64n) - 1n, true],
          [new Uint8Array(65).fill(0xa5), 1n << 63n, false],
          [new Uint8Array(200).fill(0xff), 0xffffffffn, true],
        ],
      },
    );
  });

  test(`dynamic truncation equals RFC 4226 §5.3 over node:crypto (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(key, counter, fc.boolean(), (keyBytes, value, signed) => {
        const expected = truncate(createHmac('sha1', keyBytes).update(counterBytes(value)).digest());
        const [high, low] = words(value, signed);
        expect(sha1HmacTruncated(prepareSha1Hmac(keyBytes), high, low)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  test('every truncation offset 0..15 is exercised and agrees', () => {
    const keyBytes = new Uint8Array(20).fill(7);
    const state = prepareSha1Hmac(keyBytes);
    const seen = new Set<number>();
    for (let c = 0n; seen.size < 16 && c < 10_000n; c++) {
      const mac = createHmac('sha1', keyBytes).update(counterBytes(c)).digest();
      seen.add((mac[19] as number) & 0xf);
      expect(sha1HmacTruncated(state, 0, Number(c))).toBe(truncate(mac));
    }
    expect(seen.size).toBe(16);
  });

  test('a prepared state gives the same MAC on every reuse, interleaved with other keys', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, counter), { minLength: 2, maxLength: 6 }), (pairs) => {
        const states = pairs.map(([keyBytes]) => prepareSha1Hmac(keyBytes));
        for (let round = 0; round < 2; round++) {
          pairs.forEach(([keyBytes, value], i) => {
            const [high, low] = words(value, true);
            const expected = toHex(createHmac('sha1', keyBytes).update(counterBytes(value)).digest());
            expect(toHex(sha1HmacCounter(states[i] as ReturnType<typeof prepareSha1Hmac>, high, low))).toBe(expected);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('preparing a key does not modify the caller’s key bytes (including keys hashed for being > 64 bytes)', () => {
    fc.assert(
      fc.property(key, (keyBytes) => {
        const copy = keyBytes.slice();
        prepareSha1Hmac(keyBytes);
        expect(toHex(keyBytes)).toBe(toHex(copy));
      }),
      { numRuns: 500 },
    );
  });
});
