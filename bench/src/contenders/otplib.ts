/**
 * @module
 * otplib 13, functional API with its default plugins (@noble/hashes HMAC, @scure/base base32),
 * secrets passed as base32 strings as its README does. The `*Sync` forms are used: they run the
 * same code as the recommended async `generate`/`verify` minus the promise, which only favours
 * otplib. `epoch` is in seconds; `epochTolerance` is in seconds, so ±w steps is w × period.
 */
import { generateSync, verifySync } from 'otplib';
import type { Contender } from '../contender.js';
import { type Fixtures, PERIOD_SECONDS } from '../fixtures.js';
import { packageVersion } from '../package-version.js';

export function otplibContender(fixtures: Fixtures): Contender {
  const { base32, seconds } = fixtures;
  return {
    library: 'otplib',
    version: packageVersion('otplib'),
    generate: (index) => generateSync({ secret: base32[index] as string, epoch: seconds[index] as number }),
    verify: (index, token, window) =>
      verifySync({
        secret: base32[index] as string,
        token,
        epoch: seconds[index] as number,
        epochTolerance: window * PERIOD_SECONDS,
      }).valid,
  };
}
