/**
 * The vault's AES-256-GCM and SHA-256 run on node:crypto for speed (see src/seal.ts); here they are
 * cross-checked against the audited pure-JS @noble/ciphers and @noble/hashes on random inputs, plus
 * the NIST SP 800-38D test case 16 (AES-256, 96-bit IV, with AAD) and FIPS 180-4 "abc".
 */
import { gcm } from '@noble/ciphers/aes.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encryptWithNonce, KEY_BYTES, NONCE_BYTES, seal, sha256, TAG_BYTES, unseal } from '../src/seal.js';

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const key = fc.uint8Array({ minLength: KEY_BYTES, maxLength: KEY_BYTES });
const nonce = fc.uint8Array({ minLength: NONCE_BYTES, maxLength: NONCE_BYTES });
const bytes = fc.uint8Array({ maxLength: 600 });

describe('AES-256-GCM', () => {
  it('matches the NIST GCM specification test case 16', () => {
    const k = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
    const iv = hex('cafebabefacedbaddecaf888');
    const plaintext = hex(`d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
      1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39`);
    const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const expected = hex(`522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
      8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662 76fc6ece0f4e1768cddf8853bb2d551b`);
    expect(encryptWithNonce(k, iv, plaintext, aad)).toEqual(expected);
    expect(unseal(k, iv, expected, aad)).toEqual(plaintext);
  });

  it('encrypts exactly as @noble/ciphers does, and each opens the other', () => {
    fc.assert(
      fc.property(key, nonce, bytes, bytes, (k, iv, plaintext, aad) => {
        const ours = encryptWithNonce(k, iv, plaintext, aad);
        expect(ours).toEqual(gcm(k, iv, aad).encrypt(plaintext));
        expect(gcm(k, iv, aad).decrypt(ours)).toEqual(plaintext);
        expect(unseal(k, iv, ours, aad)).toEqual(plaintext);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any changed bit in the ciphertext, tag, nonce, associated data or key', () => {
    fc.assert(
      fc.property(
        key,
        nonce,
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        bytes,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.constantFrom('sealed', 'nonce', 'aad', 'key'),
        (k, iv, plaintext, aad, at, bit, where) => {
          const { nonce: drawn, sealed } = seal(k, plaintext, aad);
          const inputs = { key: k.slice(), nonce: drawn.slice(), sealed: sealed.slice(), aad: aad.slice() };
          const target = inputs[where];
          if (target.length === 0) return;
          target[at % target.length] = (target[at % target.length] as number) ^ (1 << bit);
          expect(unseal(inputs.key, inputs.nonce, inputs.sealed, inputs.aad)).toBeUndefined();
          expect(iv.length).toBe(NONCE_BYTES);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses every truncation of the sealed bytes, down to none (no throw, no plaintext)', () => {
    const k = new Uint8Array(KEY_BYTES).fill(7);
    const { nonce: iv, sealed } = seal(k, new TextEncoder().encode('payload'), new Uint8Array());
    for (let length = 0; length < sealed.length; length++) {
      expect(unseal(k, iv, sealed.subarray(0, length), new Uint8Array())).toBeUndefined();
    }
    expect(sealed.length).toBe(7 + TAG_BYTES);
  });

  it('throws on a key or nonce of the wrong size rather than using it', () => {
    expect(() => seal(new Uint8Array(16), new Uint8Array(1), new Uint8Array())).toThrow(RangeError);
    expect(() => unseal(new Uint8Array(32), new Uint8Array(16), new Uint8Array(32), new Uint8Array())).toThrow(
      RangeError,
    );
  });
});

describe('SHA-256', () => {
  it('matches FIPS 180-4 for "abc" and @noble/hashes on random input', () => {
    expect(sha256(new TextEncoder().encode('abc'))).toEqual(
      hex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (input) => {
        expect(sha256(input)).toEqual(nobleSha256(input));
      }),
      { numRuns: 300 },
    );
  });
});
