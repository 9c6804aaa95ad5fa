/**
 * @module
 * The program the runs-everywhere tests bundle for the browser (esbuild, platform browser) and run
 * in Chromium and in a `node:vm` context without `Buffer`, `process` or `require`: the RFC 4226 /
 * 6238 vectors, strict base32, verification, otpauth URIs, a Google Authenticator migration round
 * trip, an Aegis encrypted import (the node:crypto-made fixture) and QR codes. It returns plain
 * JSON; the tests compare it with the same program run by Node from the sources.
 *
 * Nothing here may use a Node API: it is the proof that the libraries need none.
 */
import {
  base32Decode,
  base32Encode,
  createTotp,
  hotp,
  isMfaError,
  totp,
  verifyConsecutive,
  verifyTotp,
} from '@mfakit/core';
import { isBytes } from '@mfakit/core/validate';
import {
  buildMigrationUris,
  buildOtpauthUri,
  compatibilityWarnings,
  decryptAegisVault,
  encryptAegisVault,
  importMigrationUris,
  parseOtpauthUri,
  qrPng,
  qrSvg,
  renderQrToTerminal,
} from '@mfakit/otpauth';
import { decryptAegisVault as decryptFromSubpath } from '@mfakit/otpauth/aegis';
import { qrSvg as qrSvgFromSubpath } from '@mfakit/otpauth/qr';
import { parseOtpauthUri as parseFromSubpath } from '@mfakit/otpauth/uri';
import rfc4226 from '../../packages/core/test/vectors/rfc4226.json' with { type: 'json' };
import rfc6238 from '../../packages/core/test/vectors/rfc6238.json' with { type: 'json' };
import aegisEncrypted from '../../packages/otpauth/test/fixtures/aegis/encrypted.json' with { type: 'json' };
import aegisExpected from '../../packages/otpauth/test/fixtures/aegis/expected-v3.json' with { type: 'json' };

/** The password of packages/otpauth/test/fixtures/aegis/encrypted.json (made with node:crypto). */
const AEGIS_FIXTURE_PASSWORD = 'mfakit tëst pässword';

export interface PortableReport {
  /** Descriptions of every check that failed; empty when all passed. */
  failures: string[];
  /** How many checks ran. */
  checks: number;
  /** Outputs compared across runtimes (same input, same output). */
  outputs: {
    rfc4226: string[];
    rfc6238: string[];
    base32: string;
    uri: string;
    migrationUris: string[];
    aegisAccounts: string[];
    svg: string;
    terminal: string;
    /** Signature and IHDR: the compressed image data may differ between zlib implementations. */
    pngHeader: string;
  };
  /** The PNG QR code, base64, for the caller to decode. */
  pngBase64: string;
}

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Runs every check. `foreignBytes` (optional) makes a Uint8Array in another realm (an iframe's,
 * or the Node realm seen from a vm context) to prove such bytes are accepted as secrets.
 */
export async function runPortableChecks(foreignBytes?: (values: number[]) => Uint8Array): Promise<PortableReport> {
  const failures: string[] = [];
  let checks = 0;
  const check = (condition: boolean, what: string): void => {
    checks++;
    if (!condition) failures.push(what);
  };

  // RFC 4226 Appendix D and RFC 6238 Appendix B.
  const hotpSecret = ascii(rfc4226.secretAscii);
  const rfc4226Codes = rfc4226.cases.map(({ counter }) =>
    hotp(hotpSecret, counter, { digits: rfc4226.digits, allowShortSecret: true }),
  );
  rfc4226.cases.forEach(({ counter, hotp: expected }, i) => {
    check(rfc4226Codes[i] === expected, `RFC 4226 counter ${counter}`);
  });
  const rfc6238Codes = rfc6238.cases.map(({ time, algorithm }) =>
    totp(ascii(rfc6238.seeds[algorithm as 'SHA1' | 'SHA256' | 'SHA512']), {
      at: time * 1000,
      algorithm: algorithm as 'SHA1' | 'SHA256' | 'SHA512',
      digits: rfc6238.digits,
      allowShortSecret: true,
    }),
  );
  rfc6238.cases.forEach(({ time, algorithm, totp: expected }, i) => {
    check(rfc6238Codes[i] === expected, `RFC 6238 ${algorithm} at ${time}`);
  });

  // Strict base32 and verification.
  const secret = base32Decode('JBSW Y3DP EHPK 3PXP jbsw y3dp ehpk 3pxp');
  check(isBytes(secret) && secret.length === 20, 'base32 decodes 20 bytes');
  check(base32Encode(secret) === 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'base32 round trip');
  let rejected = false;
  try {
    base32Decode('ABC!@#DEF');
  } catch (error) {
    rejected = isMfaError(error, 'invalid_base32');
  }
  check(rejected, 'base32 garbage is invalid_base32');
  const at = 1_700_000_000_000;
  const code = totp(secret, { at });
  check(verifyTotp(secret, code, { at }).ok, 'verifyTotp accepts the current code');
  const wrong = code === '000000' ? '000001' : '000000';
  const mismatch = verifyTotp(secret, wrong, { at });
  check(!mismatch.ok && mismatch.reason === 'mismatch', 'verifyTotp refuses a wrong code');
  const malformed = verifyTotp(secret, '１２３４５６', { at });
  check(!malformed.ok && malformed.reason === 'malformed', 'full-width digits are malformed');
  const key = createTotp(secret);
  const previous = key.generate(at - 30_000);
  check(verifyConsecutive(secret, previous, code, { at }).ok, 'verifyConsecutive accepts two consecutive codes');
  check(!String(key).includes(base32Encode(secret)), 'a prepared key does not print its secret');
  key.destroy();
  if (foreignBytes !== undefined) {
    const foreign = foreignBytes(Array.from(secret));
    check(!(foreign instanceof Uint8Array), 'the foreign bytes really are from another realm');
    check(totp(foreign, { at }) === code, 'a Uint8Array from another realm is accepted as a secret');
    check(base32Encode(foreign) === base32Encode(secret), 'base32Encode accepts bytes from another realm');
  }

  // otpauth URIs.
  const uri = buildOtpauthUri({ secret, issuer: 'ACME Co', account: 'alice@example.com' });
  const parsed = parseOtpauthUri(uri);
  check(parsed.type === 'totp' && hex(parsed.secret) === hex(secret), 'URI build → parse keeps the secret');
  check(parsed.issuer === 'ACME Co' && parsed.account === 'alice@example.com', 'URI keeps issuer and account');
  check(compatibilityWarnings(parsed).length === 0, 'a default account has no compatibility warnings');
  check(parseFromSubpath(uri).account === parsed.account, 'the ./uri entry parses the same');
  const unicodeUri = buildOtpauthUri({ secret, issuer: 'Überweisung', account: 'jürgen 日本' });
  check(parseOtpauthUri(unicodeUri).account === 'jürgen 日本', 'unicode labels survive the round trip');

  // Google Authenticator migration round trip.
  const accounts = [
    { secret, issuer: 'ACME Co', account: 'alice@example.com' },
    { type: 'hotp' as const, secret: base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), account: 'bob', counter: 42 },
    { secret, account: 'carol', algorithm: 'SHA256' as const, digits: 8 },
  ];
  const migrationUris = buildMigrationUris(accounts, { batchId: 7 });
  const imported = importMigrationUris(migrationUris);
  check(imported.accounts.length === 3 && imported.skipped.length === 0, 'migration imports every account');
  check(
    imported.accounts.map((account) => buildOtpauthUri(account)).join() ===
      accounts.map((account) => buildOtpauthUri(account)).join(),
    'migration round trip keeps every account',
  );

  // Aegis: the encrypted fixture made with node:crypto (scrypt N = 2^15, as Aegis), and a round trip.
  const aegis = await decryptAegisVault(JSON.stringify(aegisEncrypted), AEGIS_FIXTURE_PASSWORD);
  const aegisAccounts = aegis.accounts.map((account) => buildOtpauthUri(account));
  check(aegis.accounts.length === aegisExpected.accounts.length, 'the Aegis fixture opens with its password');
  check(
    aegis.accounts.every((account, i) => base32Encode(account.secret) === aegisExpected.accounts[i]?.secret),
    'the Aegis fixture gives the expected secrets',
  );
  const ownVault = await encryptAegisVault([accounts[0] as (typeof accounts)[0]], 'pw', {
    scrypt: { N: 2 ** 10, r: 8, p: 1 },
  });
  const reopened = await decryptFromSubpath(ownVault, 'pw');
  check(hex(reopened.accounts[0]?.secret ?? new Uint8Array()) === hex(secret), 'Aegis encrypt → decrypt round trip');

  // QR codes.
  const svg = await qrSvg(uri);
  check(svg.startsWith('<svg') && svg === (await qrSvgFromSubpath(uri)), 'SVG QR code');
  const terminal = renderQrToTerminal(uri, { small: true });
  check(terminal.split('\n').length > 10, 'terminal QR code');
  const png = await qrPng(uri, { scale: 4 });
  check(hex(png.subarray(0, 8)) === '89504e470d0a1a0a', 'PNG signature');

  return {
    failures,
    checks,
    outputs: {
      rfc4226: rfc4226Codes,
      rfc6238: rfc6238Codes,
      base32: base32Encode(secret),
      uri,
      migrationUris,
      aegisAccounts,
      svg,
      terminal,
      pngHeader: hex(png.subarray(0, 33)),
    },
    pngBase64: toBase64(png),
  };
}
