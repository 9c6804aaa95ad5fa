/**
 * Steam Guard tokens through every format that can hold one: otpauth URIs (build → parse is the
 * identity, as Aegis writes them), Aegis files (written back as type steam), and the refusals:
 * a Google Authenticator transfer cannot carry one, and compatibility warnings say which apps
 * cannot show its codes.
 */
import { steamGuardCode } from '@mfakit/core';
import {
  buildAegisVault,
  buildMigrationUris,
  buildOtpauthUri,
  compatibilityWarnings,
  parseAegisVault,
  parseOtpauthUri,
} from '@mfakit/otpauth';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { steamAccount } from './support/arbitraries.js';

describe('Steam Guard tokens', () => {
  test('otpauth URI: parse(build(account)) is the account, as otpauth://steam/', () => {
    fc.assert(
      fc.property(steamAccount({ extras: true }), fc.boolean(), (original, includeDefaults) => {
        const uri = buildOtpauthUri(original, { includeDefaults });
        expect(uri).toMatch(/^otpauth:\/\/steam\//);
        if (includeDefaults) expect(uri).toContain('digits=5');
        const parsed = parseOtpauthUri(uri);
        expect(parsed).toEqual(original);
        expect(buildOtpauthUri(parsed, { includeDefaults })).toBe(uri);
      }),
      { numRuns: 500 },
    );
  });

  test('Aegis: written as type steam with SHA1, 5 digits, 30 s, and read back the same', () => {
    fc.assert(
      fc.property(steamAccount(), (original) => {
        const file = buildAegisVault([{ ...original, note: 'n', favorite: true, groups: ['Games'] }]);
        const entry = JSON.parse(file).db.entries[0];
        expect(entry.type).toBe('steam');
        expect(entry.info).toMatchObject({ algo: 'SHA1', digits: 5, period: 30 });
        const imported = parseAegisVault(file);
        expect(imported.skipped).toEqual([]);
        const { uuid: _, ...account } = imported.accounts[0] ?? { uuid: '' };
        expect(account).toEqual({ ...original, note: 'n', favorite: true, groups: ['Games'] });
      }),
      { numRuns: 200 },
    );
  });

  test('the code of an imported URI is the Steam Guard code of its secret', () => {
    const parsed = parseOtpauthUri('otpauth://steam/Steam:gaben?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(parsed.type).toBe('steam');
    expect(steamGuardCode(parsed.secret, { at: 1_700_000_000_000 })).toMatch(/^[2-9B-Y]{5}$/);
  });

  test('a Google Authenticator transfer refuses it, naming its position and where to export it', () => {
    const steam = { type: 'steam', secret: new Uint8Array(20).fill(1), account: 'gaben', issuer: 'Steam' } as const;
    const totp = { secret: new Uint8Array(20).fill(2), account: 'alice', issuer: 'GitHub' };
    expect(() => buildMigrationUris([totp, steam])).toThrow(
      expect.objectContaining({
        code: 'migration_unsupported_account',
        message: expect.stringMatching(/account #2 is a Steam Guard token.*otpauth URI or to Aegis/),
      }),
    );
  });

  test('compatibility: one warning about apps that do not know Steam, none about its 5 characters', () => {
    const warnings = compatibilityWarnings({
      type: 'steam',
      secret: new Uint8Array(20),
      account: 'gaben',
      issuer: 'Steam',
    });
    expect(warnings.map((warning) => warning.code)).toEqual(['steam_token']);
  });

  test('parameters Steam does not use are refused, not silently changed', () => {
    const base = { type: 'steam', secret: new Uint8Array(20), account: 'gaben' } as const;
    expect(() => buildOtpauthUri({ ...base, digits: 6 })).toThrow(expect.objectContaining({ code: 'invalid_digits' }));
    expect(() => buildOtpauthUri({ ...base, period: 60 })).toThrow(expect.objectContaining({ code: 'invalid_period' }));
    expect(() => buildOtpauthUri({ ...base, algorithm: 'SHA256' })).toThrow(
      expect.objectContaining({ code: 'unsupported_algorithm' }),
    );
  });
});
