/**
 * Bad input gets a clean typed refusal: truncated and oversized messages, broken DER, points off
 * the curve, out-of-range and high-S signatures, wrong lengths, bad client data. Built from the
 * specification's example messages so that each case changes exactly one thing.
 */
import {
  U2F_ERROR_CODES,
  type VerifyU2fAuthenticationOptions,
  type VerifyU2fRegistrationOptions,
  verifyU2fAuthentication,
  verifyU2fRegistration,
} from '@mfakit/u2f';
import { describe, expect, test } from 'vitest';
import { P256_ORDER } from '../src/ecdsa-signature.js';
import { fromHex, utf8 } from './support/hex.js';
import {
  authenticationMessage,
  authenticationOptions,
  CERTIFICATE_OFFSET,
  KEY_HANDLE_OFFSET,
  registrationMessage,
  registrationOptions,
  SIGNATURE_OFFSET,
} from './support/spec-messages.js';

function registrationRefusal(message: Uint8Array, options: VerifyU2fRegistrationOptions = registrationOptions): string {
  try {
    verifyU2fRegistration(message, options);
  } catch (error) {
    expect(error).toMatchObject({ name: 'MfaError' });
    const code = (error as { code: string }).code;
    expect(U2F_ERROR_CODES).toContain(code);
    return code;
  }
  return 'accepted';
}

function authenticationRefusal(
  message: Uint8Array,
  options: VerifyU2fAuthenticationOptions = authenticationOptions,
): string {
  const result = verifyU2fAuthentication(message, options);
  return result.ok ? 'accepted' : result.reason;
}

const bigHex = (value: bigint, bytes: number) => value.toString(16).padStart(bytes * 2, '0');

/** The authentication example with its signature replaced by `SEQUENCE { r, s }` given as DER INTEGER contents. */
function authenticationWithSignature(rContent: string, sContent: string): Uint8Array {
  const r = `02${(rContent.length / 2).toString(16).padStart(2, '0')}${rContent}`;
  const s = `02${(sContent.length / 2).toString(16).padStart(2, '0')}${sContent}`;
  const body = r + s;
  return new Uint8Array([
    ...authenticationMessage().subarray(0, 5),
    ...fromHex(`30${(body.length / 2).toString(16).padStart(2, '0')}${body}`),
  ]);
}

// The example authentication signature's r and s (DER contents).
const EXAMPLE_R = '4b5f0cd17534cedd8c34ee09570ef542a353df4436030ce43d406de870b84778';
const EXAMPLE_S = '267bb998fac9b7266eb60e7cb0b5eabdfd5ba9614f53c7b22272ec10047a923f';

describe('controls: the unmodified examples are accepted', () => {
  test('registration and authentication', () => {
    expect(registrationRefusal(registrationMessage())).toBe('accepted');
    expect(authenticationRefusal(authenticationMessage())).toBe('accepted');
    expect(authenticationRefusal(authenticationWithSignature(EXAMPLE_R, EXAMPLE_S))).toBe('accepted');
  });
});

describe('truncated and oversized messages', () => {
  test('every proper prefix of the registration example is refused', () => {
    const message = registrationMessage();
    for (let length = 0; length < message.length; length++) {
      expect(registrationRefusal(message.subarray(0, length))).not.toBe('accepted');
    }
  });

  test('every proper prefix of the authentication example is refused as malformed', () => {
    const message = authenticationMessage();
    for (let length = 0; length < message.length; length++) {
      expect(authenticationRefusal(message.subarray(0, length))).toMatch(/^u2f_malformed_(message|signature)$/);
    }
  });

  test('a trailing byte, or a megabyte of them, is refused', () => {
    const registration = registrationMessage();
    expect(registrationRefusal(new Uint8Array([...registration, 0]))).toBe('u2f_malformed_signature');
    expect(registrationRefusal(new Uint8Array(1 << 20).fill(5))).toBe('u2f_malformed_message');
    const authentication = authenticationMessage();
    expect(authenticationRefusal(new Uint8Array([...authentication, 0]))).toBe('u2f_malformed_signature');
    expect(authenticationRefusal(new Uint8Array(1 << 20))).toBe('u2f_malformed_message');
  });
});

describe('wrong lengths and reserved bytes', () => {
  test('registration: reserved byte not 0x05, key handle length 0 or past the end', () => {
    const message = registrationMessage();
    const changed = (offset: number, value: number) => {
      const copy = message.slice();
      copy[offset] = value;
      return copy;
    };
    expect(registrationRefusal(changed(0, 0x04))).toBe('u2f_malformed_message');
    expect(registrationRefusal(changed(66, 0))).toBe('u2f_malformed_message');
    expect(registrationRefusal(message.subarray(0, 67 + 10))).toBe('u2f_malformed_message');
    expect(registrationRefusal(changed(66, 63))).toBe('u2f_bad_certificate');
    expect(registrationRefusal(changed(66, 65))).toBe('u2f_bad_certificate');
  });

  test('authentication: reserved presence bits set', () => {
    for (const presence of [0x02, 0x03, 0x80, 0xff]) {
      const message = authenticationMessage();
      message[0] = presence;
      expect(authenticationRefusal(message)).toBe('u2f_malformed_message');
    }
  });
});

describe('points not on the curve', () => {
  const key = () => registrationMessage();
  test('user public key: off the curve, compressed prefix, infinity, coordinates ≥ p', () => {
    const offCurve = key();
    offCurve[65] = (offCurve[65] as number) ^ 1;
    expect(registrationRefusal(offCurve)).toBe('u2f_bad_public_key');
    const compressed = key();
    compressed[1] = 0x02;
    expect(registrationRefusal(compressed)).toBe('u2f_bad_public_key');
    const zero = key();
    zero.fill(0, 1, 66);
    expect(registrationRefusal(zero)).toBe('u2f_bad_public_key');
    const huge = key();
    huge.fill(0xff, 2, 34);
    expect(registrationRefusal(huge)).toBe('u2f_bad_public_key');
  });

  test('the attestation certificate’s key off the curve', () => {
    const message = registrationMessage();
    // The certificate's key is the 65 bytes after `03 42 00` in its SubjectPublicKeyInfo.
    const at = Buffer.from(message).indexOf(Buffer.from('034200048d617e', 'hex')) + 3;
    message[at + 64] = (message[at + 64] as number) ^ 1;
    expect(registrationRefusal(message)).toBe('u2f_bad_certificate');
  });

  test('a stored credential key off the curve is an MfaError, not a refusal to count', () => {
    const publicKey = authenticationOptions.credential.publicKey.slice();
    publicKey[64] = (publicKey[64] as number) ^ 1;
    expect(() =>
      verifyU2fAuthentication(authenticationMessage(), { ...authenticationOptions, credential: { publicKey } }),
    ).toThrow(expect.objectContaining({ code: 'u2f_bad_public_key' }));
  });
});

describe('bad DER', () => {
  test('signature DER that is not strict: each is refused as malformed', () => {
    const message = authenticationMessage();
    const signature = message.subarray(5);
    const cases: Record<string, Uint8Array> = {
      'wrong outer tag': Uint8Array.from([0x31, ...signature.subarray(1)]),
      'outer length too long': Uint8Array.from([0x30, (signature[1] as number) + 1, ...signature.subarray(2)]),
      'outer length in long form below 128': Uint8Array.from([
        0x30,
        0x81,
        signature[1] as number,
        ...signature.subarray(2),
      ]),
      'indefinite length': Uint8Array.from([0x30, 0x80, ...signature.subarray(2), 0, 0]),
      'third INTEGER': Uint8Array.from([
        0x30,
        (signature[1] as number) + 3,
        ...signature.subarray(2),
        0x02,
        0x01,
        0x01,
      ]),
    };
    for (const [name, bad] of Object.entries(cases)) {
      // A signature longer than 72 bytes makes the whole message too long: malformed either way.
      expect(authenticationRefusal(new Uint8Array([...message.subarray(0, 5), ...bad])), name).toMatch(
        /^u2f_malformed_(signature|message)$/,
      );
    }
    expect(authenticationRefusal(authenticationWithSignature(`00${EXAMPLE_R}`, EXAMPLE_S)), 'leading zero').toBe(
      'u2f_malformed_signature',
    );
    expect(authenticationRefusal(authenticationWithSignature(`ff${EXAMPLE_R}`, EXAMPLE_S)), 'negative r').toBe(
      'u2f_malformed_signature',
    );
    expect(authenticationRefusal(authenticationWithSignature('', EXAMPLE_S)), 'empty INTEGER').toBe(
      'u2f_malformed_signature',
    );
  });

  test('certificate DER that is not a certificate', () => {
    const message = registrationMessage();
    const wrongTag = message.slice();
    wrongTag[CERTIFICATE_OFFSET] = 0x31;
    expect(registrationRefusal(wrongTag)).toBe('u2f_bad_certificate');
    const longForm = message.slice();
    // 30 82 01 3c → 30 83 00 01 3c would be a non-minimal length: here we break the length bytes' count.
    longForm[CERTIFICATE_OFFSET + 1] = 0x84;
    expect(registrationRefusal(longForm)).toBe('u2f_bad_certificate');
    const rsaKey = message.slice();
    const oid = Buffer.from(rsaKey).indexOf(Buffer.from('2a8648ce3d0201', 'hex'));
    rsaKey[oid + 6] = 0x02;
    expect(registrationRefusal(rsaKey)).toBe('u2f_bad_certificate');
  });

  test('registration signature that is not DER', () => {
    const message = registrationMessage();
    message[SIGNATURE_OFFSET] = 0x31;
    expect(registrationRefusal(message)).toBe('u2f_malformed_signature');
  });
});

describe('zero, out-of-range and high-S signatures', () => {
  test('r or s zero, or not below n, is out of range', () => {
    const n = bigHex(P256_ORDER, 32);
    expect(authenticationRefusal(authenticationWithSignature('00', EXAMPLE_S))).toBe('u2f_signature_out_of_range');
    expect(authenticationRefusal(authenticationWithSignature(EXAMPLE_R, '00'))).toBe('u2f_signature_out_of_range');
    expect(authenticationRefusal(authenticationWithSignature(`00${n}`, EXAMPLE_S))).toBe('u2f_signature_out_of_range');
    expect(authenticationRefusal(authenticationWithSignature(EXAMPLE_R, `00${n}`))).toBe('u2f_signature_out_of_range');
  });

  test('the malleated signature (r, n − s) verifies, and is refused under requireLowS', () => {
    const highS = bigHex(P256_ORDER - BigInt(`0x${EXAMPLE_S}`), 32);
    const malleated = authenticationWithSignature(EXAMPLE_R, `00${highS}`);
    expect(authenticationRefusal(malleated)).toBe('accepted');
    expect(authenticationRefusal(malleated, { ...authenticationOptions, requireLowS: true })).toBe(
      'u2f_signature_out_of_range',
    );
    expect(authenticationRefusal(authenticationMessage(), { ...authenticationOptions, requireLowS: true })).toBe(
      'accepted',
    );
  });

  test('a signature by another key, or a flipped bit in the signed fields, does not verify', () => {
    const message = registrationMessage();
    message[KEY_HANDLE_OFFSET] = (message[KEY_HANDLE_OFFSET] as number) ^ 1;
    expect(registrationRefusal(message)).toBe('u2f_bad_signature');
    const auth = authenticationWithSignature(EXAMPLE_R.replace(/^4b/, '4c'), EXAMPLE_S);
    expect(authenticationRefusal(auth)).toBe('u2f_bad_signature');
  });
});

describe('client data', () => {
  const withClientData = (clientData: Uint8Array) =>
    authenticationRefusal(authenticationMessage(), { ...authenticationOptions, clientData });
  test('not JSON, not UTF-8, not an object, fields missing or not strings: u2f_bad_client_data', () => {
    for (const text of [
      '',
      'not json',
      '[]',
      'null',
      '"x"',
      '{"typ":"navigator.id.getAssertion"}',
      '{"typ":1,"challenge":"a","origin":"b"}',
    ]) {
      expect(withClientData(utf8(text)), text).toBe('u2f_bad_client_data');
    }
    expect(withClientData(Uint8Array.of(0x7b, 0xff, 0x7d))).toBe('u2f_bad_client_data');
    expect(withClientData(new Uint8Array(100_000).fill(0x20))).toBe('u2f_bad_client_data');
  });

  test('caller bugs are TypeErrors naming the argument', () => {
    expect(() => verifyU2fAuthentication('abc' as never, authenticationOptions)).toThrow(/message/);
    expect(() =>
      verifyU2fAuthentication(authenticationMessage(), { ...authenticationOptions, clientData: 'x' as never }),
    ).toThrow(/clientData/);
    expect(() => verifyU2fAuthentication(authenticationMessage(), { ...authenticationOptions, origin: [] })).toThrow(
      /origin/,
    );
    expect(() => verifyU2fRegistration(registrationMessage(), { ...registrationOptions, appId: '' })).toThrow(/appId/);
    expect(() =>
      verifyU2fRegistration(registrationMessage(), { ...registrationOptions, challenge: 5 as never }),
    ).toThrow(/challenge/);
  });
});
