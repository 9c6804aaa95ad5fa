import { inspect } from 'node:util';
import { isMfaError } from '@mfakit/core';
import { generateDataKey, StaticKeyProvider } from '@mfakit/registry';
import { describe, expect, it } from 'vitest';
// Internal module: sealing is not public API, but its properties are what "secrets at rest" means.
import { openSecret, sealSecret } from '../src/secret-box.js';

const secret = new TextEncoder().encode('CANARY-SECRET-0123456789');

describe('AES-256-GCM secret sealing', () => {
  it('round-trips under the current key and never stores the plaintext', async () => {
    const keys = new StaticKeyProvider({ a: generateDataKey() }, 'a');
    const sealed = await sealSecret(keys, secret, 'dev_1');
    expect(sealed.keyId).toBe('a');
    expect(sealed.blob.length).toBe(1 + 12 + secret.length + 16);
    expect(Buffer.from(sealed.blob).toString('latin1')).not.toContain('CANARY');
    expect(await openSecret(keys, sealed, 'dev_1')).toEqual(secret);
  });

  it('uses a fresh nonce each time', async () => {
    const keys = new StaticKeyProvider({ a: generateDataKey() }, 'a');
    const one = await sealSecret(keys, secret, 'dev_1');
    const two = await sealSecret(keys, secret, 'dev_1');
    expect(Buffer.from(one.blob).equals(Buffer.from(two.blob))).toBe(false);
  });

  it('refuses another associated data, a flipped bit, a truncated blob and an unknown key', async () => {
    const keys = new StaticKeyProvider({ a: generateDataKey() }, 'a');
    const sealed = await sealSecret(keys, secret, 'dev_1');
    const corrupt = (promise: Promise<unknown>) =>
      expect(promise).rejects.toSatisfy((error) => isMfaError(error, 'secret_corrupt'));
    await corrupt(openSecret(keys, sealed, 'dev_2'));
    const flipped = sealed.blob.slice();
    flipped[20] = (flipped[20] as number) ^ 1;
    await corrupt(openSecret(keys, { keyId: 'a', blob: flipped }, 'dev_1'));
    await corrupt(openSecret(keys, { keyId: 'a', blob: sealed.blob.subarray(0, 20) }, 'dev_1'));
    await expect(openSecret(keys, { keyId: 'b', blob: sealed.blob }, 'dev_1')).rejects.toSatisfy((error) =>
      isMfaError(error, 'key_unavailable'),
    );
  });

  it('StaticKeyProvider checks its keys and never prints them', () => {
    const key = generateDataKey();
    expect(() => new StaticKeyProvider({ a: new Uint8Array(16) }, 'a')).toThrow(RangeError);
    expect(() => new StaticKeyProvider({ a: key }, 'b')).toThrow(RangeError);
    const keys = new StaticKeyProvider({ a: key, b: generateDataKey() }, 'b');
    const hex = Buffer.from(key).toString('hex');
    expect(inspect(keys)).not.toContain(hex);
    expect(JSON.stringify(keys)).not.toContain(hex);
    expect(String(keys)).toBe('StaticKeyProvider(a, b; current b)');
  });
});
