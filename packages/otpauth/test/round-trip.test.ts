/** build → parse → build is the identity, for any account the builder accepts. */
import { buildOtpauthUri, parseOtpauthUri } from '@mfakit/otpauth';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { account } from './support/arbitraries.js';

test('parse(build(account)) is the account, and building it again gives the same URI', () => {
  fc.assert(
    fc.property(account({ extras: true }), fc.boolean(), (original, includeDefaults) => {
      const uri = buildOtpauthUri(original, { includeDefaults });
      const parsed = parseOtpauthUri(uri);
      expect(parsed).toEqual(original);
      expect(buildOtpauthUri(parsed, { includeDefaults })).toBe(uri);
    }),
    { numRuns: 2000 },
  );
});

test('URIs are ASCII only (QR byte mode, terminals, copy-paste)', () => {
  fc.assert(
    fc.property(account({ extras: true }), (original) => {
      expect(buildOtpauthUri(original)).toMatch(/^[\x21-\x7e]+$/);
    }),
    { numRuns: 500 },
  );
});

test('untrimmed names round-trip to their trimmed form', () => {
  fc.assert(
    fc.property(account(), fc.constantFrom(' ', '\t', '\u00a0'), (original, pad) => {
      const padded = {
        ...original,
        account: `${pad}${original.account}${pad}`,
        issuer: `${pad}${original.issuer ?? 'I'}`,
      };
      const uri = buildOtpauthUri(padded);
      expect(uri).toBe(buildOtpauthUri({ ...original, issuer: original.issuer ?? 'I' }));
      expect(buildOtpauthUri(parseOtpauthUri(uri))).toBe(uri);
    }),
    { numRuns: 300 },
  );
});
