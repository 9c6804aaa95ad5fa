/**
 * @module
 * otpauth 9: one `TOTP` instance per secret (built once, like mfakit's prepared key), then
 * `generate({ timestamp })` and `validate({ token, window, timestamp })`, which returns the
 * matching delta or null. It computes each code with node:crypto `createHmac`.
 */
import { Secret, TOTP } from 'otpauth';
import type { Contender } from '../contender.js';
import type { Fixtures } from '../fixtures.js';
import { packageVersion } from '../package-version.js';

export function otpauthContender(fixtures: Fixtures): Contender {
  const totps = fixtures.base32.map((secret) => new TOTP({ secret: Secret.fromBase32(secret) }));
  const { times } = fixtures;
  return {
    library: 'otpauth',
    version: packageVersion('otpauth'),
    generate: (index) => (totps[index] as TOTP).generate({ timestamp: times[index] as number }),
    verify: (index, token, window) =>
      (totps[index] as TOTP).validate({ token, window, timestamp: times[index] as number }) !== null,
  };
}
