/**
 * Hostile inputs that once cost seconds of CPU, gigabytes of memory or a raw exception. Each test
 * keeps the attack's shape at a size that runs fast but that the old code accepted, and checks
 * the refusal happens before the expensive step (counted, never timed).
 */
import { base32Encode, isMfaError } from '@mfakit/core';
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
  qrPng,
  qrSvg,
  renderQrToTerminal,
} from '@mfakit/otpauth';
import { beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { CANARY_BYTES, expectNoCanary } from './support/canary.js';
import { bytesField, migrationPayload, migrationUri, type TestPayload } from './support/protobuf-writer.js';

// Counts every migration entry converted into an account (the bulk of an import's work).
const conversions = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/migration/payload-accounts.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/migration/payload-accounts.js')>();
  return {
    ...original,
    accountFromParameters: (...args: Parameters<typeof original.accountFromParameters>) => {
      conversions.count += 1;
      return original.accountFromParameters(...args);
    },
  };
});

// Counts every scrypt derivation the package starts (the expensive step of an encrypted import).
const derivations = vi.hoisted(() => ({ count: 0 }));
vi.mock('@noble/hashes/scrypt.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('@noble/hashes/scrypt.js')>();
  return {
    ...original,
    scryptAsync: (...args: Parameters<typeof original.scryptAsync>) => {
      derivations.count += 1;
      return original.scryptAsync(...args);
    },
  };
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const PASSWORD = 'canary pässword 7f3a';

describe('Aegis: scrypt parameters of a hostile file', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the test edits the raw vault JSON
  let vault: any;
  beforeAll(async () => {
    vault = JSON.parse(
      await encryptAegisVault([{ secret: CANARY_BYTES, account: 'alice' }], PASSWORD, {
        scrypt: { N: 2 ** 10, r: 8, p: 1 },
      }),
    );
  });
  beforeEach(() => {
    derivations.count = 0;
  });

  function withSlots(...slots: object[]): string {
    const copy = structuredClone(vault);
    copy.header.slots = slots.map((parameters) => ({ ...copy.header.slots[0], ...parameters }));
    return JSON.stringify(copy);
  }

  // The review's files were N=2, r=1, p=2^21 (17.5 s of CPU) and N=2, r=2^19, p=4 (12.9 s, the
  // event loop blocked 1.4 s at a time). Same shapes, smaller: the old limit (N·r·p ≤ 2^22)
  // accepted all of these and derived before failing.
  test.each([
    ['huge p', { n: 2, r: 1, p: 2 ** 12 }],
    ['huge r', { n: 2, r: 2 ** 10, p: 4 }],
    ['r other than 8', { n: 2 ** 10, r: 16, p: 1 }],
    ['p other than 1', { n: 2 ** 10, r: 8, p: 2 }],
    ['N above 2^17', { n: 2 ** 18, r: 8, p: 1 }],
    ['N not a power of two', { n: 1000, r: 8, p: 1 }],
    ['N as a string', { n: '1024', r: 8, p: 1 }],
    ['N negative', { n: -1024, r: 8, p: 1 }],
  ])('%s is refused before any derivation', async (_name, parameters) => {
    const error = await rejection(decryptAegisVault(withSlots(parameters), PASSWORD));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect((error as Error).message).toContain('scrypt parameters');
    expect(derivations.count).toBe(0);
    expectNoCanary(error);
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  test('a hostile slot after a good one is refused before the good one is derived', async () => {
    const error = await rejection(decryptAegisVault(withSlots({}, { n: 2, r: 1, p: 2 ** 12 }), 'wrong'));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect(derivations.count).toBe(0);
  });

  test('the work of all password slots together is bounded (a wrong password tries each)', async () => {
    // Two slots at the per-slot maximum are 8× one Aegis unlock; the old limit allowed 16 of them.
    const error = await rejection(decryptAegisVault(withSlots({ n: 2 ** 17 }, { n: 2 ** 17 }), 'wrong'));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect((error as Error).message).toContain('scrypt work');
    expect(derivations.count).toBe(0);
    const many = await rejection(decryptAegisVault(withSlots(...Array.from({ length: 5 }, () => ({}))), 'wrong'));
    expect(isMfaError(many, 'invalid_aegis_vault')).toBe(true);
    expect(derivations.count).toBe(0);
  });

  test('what Aegis writes still opens, and a wrong password still derives each slot once', async () => {
    const opened = await decryptAegisVault(JSON.stringify(vault), PASSWORD);
    expect(opened.accounts).toHaveLength(1);
    expect(derivations.count).toBe(1);
    const error = await rejection(decryptAegisVault(withSlots({}, {}), 'wrong'));
    expect(isMfaError(error, 'aegis_bad_password')).toBe(true);
    expect(derivations.count).toBe(3);
  });

  test('an export cannot be written with parameters the import would refuse', async () => {
    for (const scrypt of [
      { N: 2, r: 1, p: 1 },
      { N: 2 ** 10, r: 8, p: 2 },
      { N: 2 ** 18, r: 8, p: 1 },
      { N: 1000, r: 8, p: 1 },
    ]) {
      await expect(encryptAegisVault([], PASSWORD, { scrypt })).rejects.toThrow(RangeError);
    }
    expect(derivations.count).toBe(0);
  });
});

describe('Google Authenticator transfer: hostile sets of QR codes', () => {
  beforeEach(() => {
    conversions.count = 0;
  });

  function thrown(run: () => unknown): Error {
    try {
      run();
    } catch (error) {
      expectNoCanary(error);
      return error as Error;
    }
    throw new Error('expected an error');
  }

  const entry = { secret: CANARY_BYTES, name: 'alice', issuer: 'ACME', algorithm: 1, digits: 1, type: 2 };
  const code = (payload: Partial<TestPayload>) =>
    migrationUri(migrationPayload({ otp: Array.from({ length: 10 }, () => entry), ...payload }));

  // The review's attack: 1 000 codes of 64 KiB, each full of entries, all parsed before the
  // "given twice" check: 21 s and 2 GB (with two-byte entries: out of memory after 75 s).
  test('more codes than an export has are refused before any is parsed', () => {
    const error = thrown(() => importMigrationUris(Array.from({ length: 101 }, () => 'not even a URI')));
    expect(isMfaError(error, 'incomplete_migration')).toBe(true);
    expect(error.message).toContain('at most 100');
  });

  test('more text in total than an export has is refused before any is parsed', () => {
    const long = `otpauth-migration://offline?data=${'A'.repeat(8000)}`;
    const error = thrown(() => importMigrationUris(Array.from({ length: 70 }, () => long)));
    expect(isMfaError(error, 'invalid_uri')).toBe(true);
    expect(error.message).toContain('characters together');
  });

  test('a code longer than a QR code holds is refused', () => {
    const padded = `${code({})}&padding=${'x'.repeat(9000)}`;
    expect(
      isMfaError(
        thrown(() => parseMigrationUri(padded)),
        'invalid_uri',
      ),
    ).toBe(true);
    expect(conversions.count).toBe(0);
  });

  test('a code with more entries than a QR code holds is refused before converting any', () => {
    // 300 empty entries are 600 bytes: a small code, thousands of objects per 64 KiB before.
    const tiny = migrationUri(
      new Uint8Array([...Array.from({ length: 300 }, () => bytesField(1, [])).flat(), ...[0x10, 0x01]]),
    );
    const error = thrown(() => parseMigrationUri(tiny));
    expect(isMfaError(error, 'invalid_migration_payload')).toBe(true);
    expect(error.message).toContain('at most 256');
    expect(conversions.count).toBe(0);
  });

  test('a code given twice is refused before any account is converted', () => {
    const first = code({ batchSize: 3, batchIndex: 0, batchId: 9 });
    const error = thrown(() => importMigrationUris(Array.from({ length: 100 }, () => first)));
    expect(isMfaError(error, 'incomplete_migration')).toBe(true);
    expect(error.message).toContain('given twice');
    expect(conversions.count).toBe(0);
  });

  test('codes of another export are refused before any account is converted', () => {
    const error = thrown(() =>
      importMigrationUris([
        code({ batchSize: 2, batchIndex: 0, batchId: 1 }),
        code({ batchSize: 2, batchIndex: 1, batchId: 2 }),
      ]),
    );
    expect(isMfaError(error, 'incomplete_migration')).toBe(true);
    expect(conversions.count).toBe(0);
  });

  test('an export claiming more codes than one import reads is refused at its first code', () => {
    const error = thrown(() => importMigrationUris([code({ batchSize: 2 ** 31 - 1, batchIndex: 0, batchId: 1 })]));
    expect(isMfaError(error, 'incomplete_migration')).toBe(true);
    expect(conversions.count).toBe(0);
  });

  test('a complete export at the limits still imports', () => {
    const uris = Array.from({ length: 100 }, (_, batchIndex) => code({ batchSize: 100, batchIndex, batchId: 3 }));
    expect(importMigrationUris(uris.reverse()).accounts).toHaveLength(1000);
    expect(conversions.count).toBe(1000);
  });

  test('a non-string among the codes is a TypeError naming its position', () => {
    const error = thrown(() => importMigrationUris([code({}), 42 as unknown as string]));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('URI 2');
  });
});

describe('Aegis: hostile sizes of a plain or decrypted file', () => {
  const wrap = (entries: string) =>
    `{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,"entries":[${entries}]}}`;

  // 57 MB of "{}," took 51 s and 3.3 GB (20 million objects, each a skipped entry).
  test('a file opening more objects than any export is refused before JSON parsing', () => {
    const text = wrap(Array(250_000).fill('{}').join(','));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const error = (() => {
        try {
          parseAegisVault(text);
        } catch (caught) {
          return caught as Error;
        }
        throw new Error('expected an error');
      })();
      expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
      expect(error.message).toContain('more objects');
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  test('more entries than any vault holds are refused before converting any', () => {
    const entry = `{"type":"totp","name":"n","info":{"secret":"${'A'.repeat(16)}"}}`;
    expect(parseAegisVault(wrap(Array(10_000).fill(entry).join(','))).accounts).toHaveLength(10_000);
    const error = (() => {
      try {
        parseAegisVault(wrap(Array(10_001).fill(entry).join(',')));
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected an error');
    })();
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expect(error.message).toContain('10001 entries');
  });

  test('the same bounds hold for the content of an encrypted file', async () => {
    const accounts = Array.from({ length: 10_001 }, () => ({ secret: CANARY_BYTES, account: 'a' }));
    const text = await encryptAegisVault(accounts, PASSWORD, { scrypt: { N: 2, r: 8, p: 1 } });
    const error = await rejection(decryptAegisVault(text, PASSWORD));
    expect(isMfaError(error, 'invalid_aegis_vault')).toBe(true);
    expectNoCanary(error);
  });
});

describe('caller bugs in options are TypeError/RangeError naming the argument', () => {
  const account = { secret: CANARY_BYTES, account: 'alice', issuer: 'ACME' };
  const uri = buildOtpauthUri(account);
  const hostileOptions: unknown[] = [null, 10n, -1, 'x', Symbol('options'), true];
  const withOptions: [string, (options: unknown) => unknown][] = [
    ['buildOtpauthUri', (options) => buildOtpauthUri(account, options as never)],
    ['parseOtpauthUri', (options) => parseOtpauthUri(uri, options as never)],
    ['renderQrToTerminal', (options) => renderQrToTerminal(uri, options as never)],
    ['qrSvg', (options) => qrSvg(uri, options as never)],
    ['qrPng', (options) => qrPng(uri, options as never)],
    ['buildMigrationUris', (options) => buildMigrationUris([account], options as never)],
    ['encryptAegisVault', (options) => encryptAegisVault([account], PASSWORD, options as never)],
  ];

  test.each(withOptions)('%s(…, hostile options)', async (name, call) => {
    for (const options of hostileOptions) {
      let caught: unknown;
      try {
        await call(options);
      } catch (error) {
        caught = error;
      }
      expect(caught, `${name} with ${String(options)}`).toBeInstanceOf(TypeError);
      expect((caught as Error).message).toContain(`${name} options must be an object`);
    }
  });

  test('BigInt, negative and fractional numbers inside options', async () => {
    await expect(qrSvg(uri, { margin: 4n as never })).rejects.toThrow(/margin must be an integer/);
    await expect(qrPng(uri, { scale: -1 })).rejects.toThrow(RangeError);
    expect(() => buildMigrationUris([account], { batchId: 1n as never })).toThrow(/batchId must be an integer/);
    expect(() => buildMigrationUris([account], { maxAccountsPerQr: 0.5 })).toThrow(TypeError);
    await expect(encryptAegisVault([account], PASSWORD, { scrypt: { N: 2n, r: 8, p: 1 } as never })).rejects.toThrow(
      RangeError,
    );
    expect(() => buildAegisVault([{ ...account, groups: 5 as never }])).toThrow(TypeError);
  });

  test('a lone surrogate is a RangeError, not a raw URIError from the encoder', async () => {
    for (const render of [(text: string) => qrSvg(text), (text: string) => qrPng(text)]) {
      const error = await rejection(render('otpauth://totp/a?secret=\ud800'));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toContain('well-formed');
    }
    expect(() => renderQrToTerminal('\ud800')).toThrow(RangeError);
  });
});

describe('secrets longer than any authenticator uses are skipped, not handed on', () => {
  const secretOf = (length: number) => new Uint8Array(length).fill(0x5a);

  test('Aegis', () => {
    const entry = (secret: string) => ({ type: 'totp', name: 'a', info: { secret } });
    const text = JSON.stringify({
      version: 1,
      header: { slots: null, params: null },
      db: {
        version: 3,
        entries: [
          entry(base32Encode(secretOf(1024))),
          entry(base32Encode(secretOf(1025))),
          entry('A'.repeat(5_000_000)),
        ],
      },
    });
    const result = parseAegisVault(text);
    expect(result.accounts.map((account) => account.secret.length)).toEqual([1024]);
    expect(result.skipped.map((skip) => [skip.index, skip.reason])).toEqual([
      [1, 'invalid_secret'],
      [2, 'invalid_secret'],
    ]);
  });

  test('Google Authenticator transfer', () => {
    const uri = migrationUri(
      migrationPayload({
        otp: [
          { secret: secretOf(1024), name: 'a' },
          { secret: secretOf(1025), name: 'b' },
        ],
      }),
    );
    const result = parseMigrationUri(uri);
    expect(result.accounts.map((account) => account.account)).toEqual(['a']);
    expect(result.skipped).toMatchObject([{ index: 1, account: 'b', reason: 'invalid_secret' }]);
  });
});
