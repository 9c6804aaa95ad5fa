/**
 * @module
 * Device secrets at rest: AES-256-GCM (@noble/ciphers) with a fresh 96-bit random nonce per
 * seal (NIST SP 800-38D §8.2.2) and the user and device ids as associated data, so a sealed
 * secret copied onto another device row, or a device row moved to another user, fails to open. Keys come from a `KeyProvider` by id; `keyId` is
 * stored next to each blob so keys can rotate (`Registry.rotateKeys()` re-seals old blobs).
 *
 * Blob layout: version byte 0x01 ‖ nonce (12) ‖ ciphertext ‖ tag (16).
 */
import { isBytes } from '@mfakit/core/validate';
import { gcm } from '@noble/ciphers/aes.js';
import { randomBytes } from '@noble/ciphers/utils.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { registryError } from './errors.js';

/** Bytes of an AES-256 key. */
export const KEY_BYTES = 32;
const VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Supplies AES-256 keys by id. `currentKeyId` seals new secrets; older ids stay readable. */
export interface KeyProvider {
  /** The id of the key that seals new secrets. */
  currentKeyId(): string;
  /** The 32-byte key with this id, or undefined if unknown. May be async (a KMS call). */
  getKey(keyId: string): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** A new random 256-bit key for a `StaticKeyProvider`. */
export function generateDataKey(): Uint8Array {
  return randomBytes(KEY_BYTES);
}

/** Keys held in memory (loaded from configuration or a secret manager at start-up). */
export class StaticKeyProvider implements KeyProvider {
  readonly #keys: Map<string, Uint8Array>;
  readonly #current: string;

  constructor(keys: Record<string, Uint8Array>, currentKeyId: string) {
    if (typeof keys !== 'object' || keys === null) throw new TypeError('keys must map key ids to 32-byte keys');
    this.#keys = new Map();
    for (const [id, key] of Object.entries(keys)) {
      if (!isBytes(key) || key.length !== KEY_BYTES) {
        throw new RangeError(`key ${JSON.stringify(id)} must be a ${KEY_BYTES}-byte Uint8Array`);
      }
      this.#keys.set(id, key.slice());
    }
    if (!this.#keys.has(currentKeyId)) throw new RangeError('currentKeyId must name one of the keys');
    this.#current = currentKeyId;
  }

  /** The id of the key that seals new secrets. */
  currentKeyId(): string {
    return this.#current;
  }

  getKey(keyId: string): Uint8Array | undefined {
    return this.#keys.get(keyId);
  }

  toString(): string {
    return `StaticKeyProvider(${[...this.#keys.keys()].join(', ')}; current ${this.#current})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export interface SealedSecret {
  keyId: string;
  blob: Uint8Array;
}

async function keyFor(provider: KeyProvider, keyId: string): Promise<Uint8Array> {
  const key = await provider.getKey(keyId);
  if (!isBytes(key) || key.length !== KEY_BYTES) {
    throw registryError(
      'key_unavailable',
      `The key provider has no ${KEY_BYTES}-byte key with id ${JSON.stringify(keyId)}`,
    );
  }
  return key;
}

export async function sealSecret(
  provider: KeyProvider,
  secret: Uint8Array,
  associatedData: string,
): Promise<SealedSecret> {
  const keyId = provider.currentKeyId();
  const key = await keyFor(provider, keyId);
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = gcm(key, nonce, utf8ToBytes(associatedData)).encrypt(secret);
  const blob = new Uint8Array(1 + NONCE_BYTES + sealed.length);
  blob[0] = VERSION;
  blob.set(nonce, 1);
  blob.set(sealed, 1 + NONCE_BYTES);
  return { keyId, blob };
}

/** Opens a sealed secret; the caller wipes the result (`fill(0)`) when done. */
export async function openSecret(
  provider: KeyProvider,
  sealed: SealedSecret,
  associatedData: string,
): Promise<Uint8Array> {
  const { blob } = sealed;
  if (blob.length < 1 + NONCE_BYTES + TAG_BYTES || blob[0] !== VERSION) {
    throw registryError('secret_corrupt', 'A stored secret has an unknown format');
  }
  const key = await keyFor(provider, sealed.keyId);
  try {
    return gcm(key, blob.subarray(1, 1 + NONCE_BYTES), utf8ToBytes(associatedData)).decrypt(
      blob.subarray(1 + NONCE_BYTES),
    );
  } catch (error) {
    throw registryError(
      'secret_corrupt',
      'A stored secret failed authentication: it was altered or belongs to another record',
      error,
    );
  }
}

/** Binds a device secret to its device and user (ids cannot contain NUL). */
export function deviceAssociatedData(userId: string, deviceId: string): string {
  return `mfakit-device-v2\u0000${userId}\u0000${deviceId}`;
}

export function tokenAssociatedData(serial: string): string {
  return `hardware-token:${serial}`;
}
