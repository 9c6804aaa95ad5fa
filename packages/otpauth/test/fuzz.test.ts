/**
 * Every parser against hostile input (10 000 runs each): arbitrary text, broken URIs,
 * truncated / mutated / oversized protobuf, invalid UTF-8, mangled vault JSON. The only
 * acceptable outcomes are a result or an `MfaError`; the canary secret planted in the inputs
 * must never appear in an error message, a cause, or a skipped entry's message. A hang shows up
 * as the test timeout.
 */
import { isMfaError } from '@mfakit/core';
import {
  buildAegisVault,
  buildMigrationUris,
  buildOtpauthUri,
  decryptAegisVault,
  encryptAegisVault,
  importMigrationUris,
  parseAegisVault,
  parseMigrationUri,
  parseOtpauthUri,
} from '@mfakit/otpauth';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { CANARY_BASE32, CANARY_BYTES, errorText, expectNoCanary } from './support/canary.js';
import { base64, bytesField, migrationPayload, migrationUri, varint } from './support/protobuf-writer.js';

const RUNS = 10_000;

/** Runs a parser; anything thrown must be an MfaError that does not leak the canary. */
function outcome(run: () => unknown): void {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    if (!isMfaError(error)) throw new Error(`expected only MfaError, got: ${errorText(error)}`);
    expectNoCanary(error);
    return;
  }
  checkSkipped(result);
}

async function asyncOutcome(run: () => Promise<unknown>): Promise<void> {
  let result: unknown;
  try {
    result = await run();
  } catch (error) {
    if (!isMfaError(error)) throw new Error(`expected only MfaError, got: ${errorText(error)}`);
    expectNoCanary(error);
    return;
  }
  checkSkipped(result);
}

function checkSkipped(result: unknown): void {
  const skipped = (result as { skipped?: { message: string }[] } | undefined)?.skipped ?? [];
  for (const entry of skipped) expectNoCanary(new Error(entry.message));
}

/** Characters and fragments that matter to the parsers, mixed with noise. */
function tokens(pieces: string[]): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...pieces) },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
      ),
      {
        maxLength: 24,
      },
    )
    .map((parts) => parts.join(''));
}

const uriPieces = [
  'otpauth://',
  'OTPAUTH://',
  'totp',
  'hotp',
  'steam',
  '/',
  ':',
  '%3A',
  '%3a',
  '?',
  '&',
  '=',
  '#',
  ' ',
  '+',
  '%',
  '%2',
  '%20',
  '%E0%A4',
  '%FF',
  '%C3%BC',
  `secret=${CANARY_BASE32}`,
  `secret=${CANARY_BASE32.toLowerCase()}`,
  `secret=${CANARY_BASE32}=`,
  `secret=${CANARY_BASE32.slice(0, 30)}1`,
  'issuer=',
  'issuer=ACME',
  'issuer=ACME%26secret',
  'algorithm=',
  'algorithm=SHA256',
  'algorithm=MD5',
  'digits=',
  'digits=8',
  'digits=99999999999999999999',
  'period=',
  'period=0',
  'period=-1',
  'period=1e3',
  'counter=',
  'counter=5',
  'counter=18446744073709551616',
  'image=http%3A%2F%2Fx',
  'ACME',
  'alice@example.com',
];

describe('parseOtpauthUri', () => {
  test('arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 200 })),
        (text) => {
          outcome(() => parseOtpauthUri(text));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('URI-shaped text carrying the canary secret', () => {
    const uriShaped = fc
      .tuple(
        fc.constantFrom('otpauth://', 'OTPAUTH://', 'otpauth:/', ''),
        fc.constantFrom('totp', 'hotp', 'TOTP', 'steam', ''),
        fc.constantFrom('/', '', '?'),
        tokens(uriPieces),
        fc.constantFrom('?', '', '#'),
        fc.array(tokens(uriPieces), { maxLength: 6 }),
      )
      .map(
        ([scheme, type, slash, label, question, parameters]) =>
          scheme + type + slash + label + question + parameters.join('&'),
      );
    fc.assert(
      fc.property(fc.oneof(uriShaped, tokens(uriPieces)), (text) => {
        outcome(() => parseOtpauthUri(text));
      }),
      { numRuns: RUNS },
    );
  });

  test('valid URIs with the canary, then damaged one character at a time', () => {
    const uri = buildOtpauthUri({
      secret: CANARY_BYTES,
      account: 'alice@example.com',
      issuer: 'ACME Co',
      digits: 8,
      algorithm: 'SHA256',
    });
    fc.assert(
      fc.property(
        fc.nat(uri.length),
        fc.nat(uri.length),
        fc.constantFrom('', '%', ':', '&', '=', '?', '#', '/', 'x', '%FF', '\u0000', '\uD800'),
        (start, length, insert) => {
          outcome(() => parseOtpauthUri(uri.slice(0, start) + insert + uri.slice(start + (length % 4))));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('parseMigrationUri and importMigrationUris', () => {
  const PREFIX = 'otpauth-migration://offline?data=';
  const validPayload = migrationPayload({
    otp: [
      { secret: CANARY_BYTES, name: 'ACME:alice', issuer: 'ACME', algorithm: 1, digits: 1, type: 2 },
      { secret: CANARY_BYTES, name: 'bob', issuer: 'Bank', algorithm: 4, digits: 2, type: 1, counter: 7 },
    ],
    batchSize: 2,
    batchIndex: 1,
    batchId: -77,
  });

  const damagedPayload = fc.oneof(
    // truncated
    fc.nat(validPayload.length).map((end) => validPayload.slice(0, end)),
    // bytes overwritten
    fc
      .array(fc.tuple(fc.nat(validPayload.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((edits) => {
        const copy = validPayload.slice();
        for (const [position, value] of edits) copy[position] = value;
        return copy;
      }),
    // huge length / count claims and invalid UTF-8 in names
    fc
      .tuple(fc.constantFrom(1, 2, 3, 7, 15), fc.oneof(fc.constant(2 ** 32 - 1), fc.constant(2 ** 31), fc.nat()))
      .map(
        ([field, length]) => new Uint8Array([...validPayload, ...varint((field << 3) | 2), ...varint(length), 1, 2, 3]),
      ),
    fc
      .uint8Array({ minLength: 1, maxLength: 8 })
      .map(
        (junk) =>
          new Uint8Array(bytesField(1, [...bytesField(1, CANARY_BYTES), ...bytesField(2, [0xc3, ...junk, 0xff])])),
      ),
    // varints that never end, wire types 3–7, deep nesting
    fc
      .uint8Array({ maxLength: 64 })
      .map((bytes) => new Uint8Array([...bytes, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
    fc.uint8Array({ maxLength: 256 }),
  );

  const migrationText = fc.oneof(
    fc.string(),
    fc.string({ maxLength: 300 }).map((data) => PREFIX + data),
    damagedPayload.map((bytes) => migrationUri(bytes)),
    damagedPayload.map((bytes) => PREFIX + base64(bytes).replaceAll('+', ' ')),
    tokens([
      'otpauth-migration://',
      'offline',
      '?',
      'data=',
      '&',
      '%',
      '%2B',
      '%2F',
      '%3D',
      '+',
      ' ',
      '=',
      '\n',
      base64(validPayload),
      base64(validPayload).slice(0, 20),
    ]),
  );

  test('arbitrary text, damaged and oversized payloads', () => {
    fc.assert(
      fc.property(migrationText, (text) => {
        outcome(() => parseMigrationUri(text));
      }),
      { numRuns: RUNS },
    );
  });

  test('sets of codes: damaged, duplicated, from different exports, huge batch sizes', () => {
    const good = buildMigrationUris(
      Array.from({ length: 12 }, (_, i) => ({ secret: CANARY_BYTES, account: `u${i}` })),
      { batchId: 3 },
    );
    const hugeBatch = migrationUri(
      migrationPayload({ otp: [{ secret: CANARY_BYTES, name: 'x' }], batchSize: 2 ** 31 - 1, batchIndex: 5 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...good, hugeBatch, migrationUri(validPayload)), migrationText), {
          minLength: 1,
          maxLength: 5,
        }),
        (uris) => {
          outcome(() => importMigrationUris(uris));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** Every path to a value inside a JSON document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => paths(item, [...prefix, index]))];
  if (typeof value === 'object' && value !== null)
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  return [prefix];
}

/** Replaces or deletes the values at some paths of a deep copy. */
function mutated(document: unknown): fc.Arbitrary<unknown> {
  const all = paths(document).filter((path) => path.length > 0);
  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, '', 0, -1, 2 ** 53, 1e308, 'SHA1', 'MD5', 'hotp', 'steam', 'zz', [], {}),
    fc.constantFrom(CANARY_BASE32, `${CANARY_BASE32}1`, `${CANARY_BASE32}!`, `${CANARY_BASE32}=`),
    fc.constant(undefined),
  );
  return fc.array(fc.tuple(fc.nat(all.length - 1), replacement), { minLength: 1, maxLength: 3 }).map((edits) => {
    const copy = JSON.parse(JSON.stringify(document));
    for (const [index, value] of edits) {
      const path = all[index] as (string | number)[];
      let parent = copy;
      for (const key of path.slice(0, -1)) parent = parent?.[key];
      if (parent === null || typeof parent !== 'object') continue;
      const last = path[path.length - 1] as string | number;
      if (value === undefined) delete parent[last];
      // A fresh copy per edit: constants are shared objects and must not form cycles.
      else parent[last] = structuredClone(value);
    }
    return copy;
  });
}

describe('Aegis', () => {
  const plain = JSON.parse(
    buildAegisVault([
      { secret: CANARY_BYTES, account: 'alice', issuer: 'ACME', groups: ['Work'], note: 'n' },
      { type: 'hotp', secret: CANARY_BYTES, account: 'bob', counter: 3, algorithm: 'SHA512', digits: 8 },
    ]),
  );
  let encrypted: unknown;
  beforeAll(async () => {
    // Light scrypt so 10 000 attempts stay fast; the format is the same as Aegis' own.
    encrypted = JSON.parse(
      await encryptAegisVault([{ secret: CANARY_BYTES, account: 'alice', issuer: 'ACME' }], 'pw', {
        scrypt: { N: 2, r: 8, p: 1 },
      }),
    );
  });

  test('arbitrary text, bytes and JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json({ maxDepth: 3 }),
          fc.uint8Array({ maxLength: 64 }),
          fc
            .uint8Array({ maxLength: 16 })
            .map(
              (junk) =>
                new Uint8Array([...Buffer.from('{"version":1,"header":{},"db":{"entries":["'), ...junk, 0xff, 0xfe]),
            ),
        ),
        (input) => {
          outcome(() => parseAegisVault(input));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('plain vaults with damaged fields', () => {
    fc.assert(
      fc.property(mutated(plain), (vault) => {
        const text = JSON.stringify(vault);
        outcome(() => parseAegisVault(text));
      }),
      { numRuns: RUNS },
    );
  });

  test('encrypted vaults with damaged fields and wrong passwords', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutated(encrypted), fc.constant(encrypted), mutated(plain)),
        fc.constantFrom('pw', 'wrong', '', CANARY_BASE32),
        async (vault, password) => {
          const text = JSON.stringify(vault);
          await asyncOutcome(() => decryptAegisVault(text, password));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('the untouched light vault does open (the mutations above start from a working file)', async () => {
    expect((await decryptAegisVault(JSON.stringify(encrypted), 'pw')).accounts).toHaveLength(1);
    expect(parseAegisVault(JSON.stringify(plain)).accounts).toHaveLength(2);
  });
});
