/**
 * @module
 * notp 2. Its `totp.gen`/`totp.verify` read the clock (`opt.time` is the period, and a fixed
 * time `opt._t` is refused unless NODE_ENV is 'test'), and do nothing else than compute
 * counter = floor(now / 30 s) and call `hotp.gen`/`hotp.verify` with it. So this calls the hotp
 * functions with the TOTP step of the fixed instant: the same code path minus one Date.now().
 * `hotp.verify` searches counter−window … counter+window, as `totp.verify` does.
 */
import notp from 'notp';
import type { Contender } from '../contender.js';
import type { Fixtures } from '../fixtures.js';
import { packageVersion } from '../package-version.js';

export function notpContender(fixtures: Fixtures): Contender {
  const { buffers, steps } = fixtures;
  return {
    library: 'notp',
    version: packageVersion('notp'),
    generate: (index) => notp.hotp.gen(buffers[index] as Buffer, { counter: steps[index] as number }),
    verify: (index, token, window) =>
      notp.hotp.verify(token, buffers[index] as Buffer, { window, counter: steps[index] as number }) !== null,
  };
}
