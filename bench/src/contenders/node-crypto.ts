/**
 * @module
 * The baseline: TOTP written by hand on node:crypto, one `createHmac('sha1', key)` per code
 * (RFC 4226 §5.3 truncation, RFC 6238 §4.2 step). Verify computes all 2w+1 candidates with no
 * early exit, the same work mfakit does, so the verify columns compare like with like.
 */
import { createHmac } from 'node:crypto';
import type { Contender } from '../contender.js';
import type { Fixtures } from '../fixtures.js';

const counter = Buffer.alloc(8);

function code(key: Buffer, step: number): string {
  counter.writeUInt32BE(Math.floor(step / 0x100000000), 0);
  counter.writeUInt32BE(step >>> 0, 4);
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[19] as number) & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

export function nodeCryptoContender(fixtures: Fixtures): Contender {
  const { buffers, steps } = fixtures;
  return {
    library: 'node:crypto',
    version: `node:crypto createHmac (Node ${process.version})`,
    generate: (index) => code(buffers[index] as Buffer, steps[index] as number),
    verify: (index, token, window) => {
      const key = buffers[index] as Buffer;
      const step = steps[index] as number;
      let accepted = false;
      for (let candidate = step - window; candidate <= step + window; candidate++) {
        accepted = code(key, candidate) === token || accepted;
      }
      return accepted;
    },
  };
}
