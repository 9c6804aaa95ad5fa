/**
 * @module
 * mfakit, two ways: `mfakit` is the prepared key (`createTotp` once per secret, then
 * `generate`/`verify` per code: the fast path a server keeps per device), and
 * `mfakit (one-off)` is the stateless `totp()` / `verifyTotp()` that prepare and wipe a key on
 * every call.
 */
import { createTotp, type TotpKey, totp, verifyTotp } from '@mfakit/core';
import type { Contender } from '../contender.js';
import type { Fixtures } from '../fixtures.js';
import { packageVersion } from '../package-version.js';

const VERSION = `${packageVersion('@mfakit/core')} (workspace source)`;

export function mfakitPrepared(fixtures: Fixtures): Contender {
  const keys = fixtures.secrets.map((secret) => createTotp(secret));
  const { times } = fixtures;
  return {
    library: 'mfakit',
    version: VERSION,
    generate: (index) => (keys[index] as TotpKey).generate(times[index] as number),
    // window 10 is the largest allowed without allowWideWindow, so none of these need it.
    verify: (index, token, window) => (keys[index] as TotpKey).verify(token, { at: times[index] as number, window }).ok,
  };
}

export function mfakitOneOff(fixtures: Fixtures): Contender {
  const { secrets, times } = fixtures;
  return {
    library: 'mfakit (one-off)',
    version: VERSION,
    generate: (index) => totp(secrets[index] as Uint8Array, { at: times[index] as number }),
    verify: (index, token, window) =>
      verifyTotp(secrets[index] as Uint8Array, token, { at: times[index] as number, window }).ok,
  };
}
