import { isMfaError } from '@mfakit/core';
import { buildOtpauthUri, compatibilityWarnings, parseOtpauthUri } from '@mfakit/otpauth';
import { describe, expect, it } from 'vitest';

// A real-world shape: a short name before the colon, the full name in the parameter.
const URI = 'otpauth://totp/Contoso%20Co:Firstname%20Lastname?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20Co';

describe('a label prefix that differs from the issuer parameter', () => {
  it('is accepted, the parameter winning (as Google Authenticator and the otpauth library do)', () => {
    const account = parseOtpauthUri(URI);
    expect(account).toMatchObject({ issuer: 'ACME Co', account: 'Firstname Lastname', labelIssuer: 'Contoso Co' });
  });

  it('gives a compatibility warning naming both', () => {
    const warnings = compatibilityWarnings(parseOtpauthUri(URI));
    const warning = warnings.find((candidate) => candidate.code === 'issuer_label_mismatch');
    expect(warning?.message).toContain('"Contoso Co"');
    expect(warning?.message).toContain('"ACME Co"');
    expect(warning?.message).not.toContain('JBSWY3DP');
  });

  it('is refused with strictIssuer, with issuer_mismatch and a message that quotes nothing', () => {
    let caught: unknown;
    try {
      parseOtpauthUri(URI, { strictIssuer: true });
    } catch (error) {
      caught = error;
    }
    expect(isMfaError(caught, 'issuer_mismatch')).toBe(true);
    expect((caught as Error).message).not.toContain('Contoso');
  });

  it('builds back with the parameter as the one issuer, and equal issuers give no warning', () => {
    const rebuilt = parseOtpauthUri(buildOtpauthUri(parseOtpauthUri(URI)));
    expect(rebuilt.issuer).toBe('ACME Co');
    expect(rebuilt.labelIssuer).toBeUndefined();
    expect(compatibilityWarnings(rebuilt).map((warning) => warning.code)).not.toContain('issuer_label_mismatch');
  });

  it('rejects a non-object or non-boolean option as a caller bug', () => {
    expect(() => parseOtpauthUri(URI, null as never)).toThrow(TypeError);
    expect(() => parseOtpauthUri(URI, { strictIssuer: 'yes' as never })).toThrow(TypeError);
  });
});
