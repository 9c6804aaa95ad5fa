/**
 * @module
 * speakeasy 2: `totp({ secret, encoding: 'base32', time })` and
 * `totp.verify({ secret, encoding: 'base32', token, window, time })` as its README shows
 * (`time` in seconds; it decodes the base32 secret for every code it computes).
 */
import speakeasy from 'speakeasy';
import type { Contender } from '../contender.js';
import type { Fixtures } from '../fixtures.js';
import { packageVersion } from '../package-version.js';

export function speakeasyContender(fixtures: Fixtures): Contender {
  const { base32, seconds } = fixtures;
  return {
    library: 'speakeasy',
    version: packageVersion('speakeasy'),
    generate: (index) =>
      speakeasy.totp({ secret: base32[index] as string, encoding: 'base32', time: seconds[index] as number }),
    verify: (index, token, window) =>
      speakeasy.totp.verify({
        secret: base32[index] as string,
        encoding: 'base32',
        token,
        window,
        time: seconds[index] as number,
      }),
  };
}
