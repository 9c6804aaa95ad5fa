/**
 * @module
 * The query parameters of the Google Authenticator Key Uri Format and which otp type each
 * belongs to. Parameters outside this table are "extra" and are kept verbatim.
 */
import type { OtpType } from '../account.js';

export const KNOWN_PARAMETERS: Readonly<Record<OtpType, readonly string[]>> = {
  totp: ['secret', 'issuer', 'algorithm', 'digits', 'period'],
  hotp: ['secret', 'issuer', 'algorithm', 'digits', 'counter'],
  steam: ['secret', 'issuer', 'algorithm', 'digits', 'period'],
};

/** Parameter names are matched case-insensitively: some generators write `Secret=` or `ISSUER=`. */
export function knownParameter(type: OtpType, name: string): string | undefined {
  const lower = name.toLowerCase();
  return KNOWN_PARAMETERS[type].includes(lower) ? lower : undefined;
}
