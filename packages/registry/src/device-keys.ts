/**
 * @module
 * Opens sealed device secrets into prepared TOTP keys, and keeps a bounded LRU of them so a
 * sign-in costs HMACs, not an AES-GCM open and a key schedule. An entry is reused only while the
 * stored blob is byte-for-byte the one it was opened from (a rotated or replaced secret misses).
 * Evicted keys are destroyed (their key state overwritten).
 */
import { createTotp, type TotpKey } from '@mfakit/core';
import { constantTimeEqual } from '@mfakit/core/validate';
import type { OtpDeviceRecord } from './model.js';
import { deviceAssociatedData, type KeyProvider, openSecret } from './secret-box.js';

interface CachedKey {
  /** The owner the secret was opened for (it is bound to it): a row moved to another user misses. */
  userId: string;
  keyId: string;
  blob: Uint8Array;
  key: TotpKey;
}

export class DeviceKeys {
  readonly #provider: KeyProvider;
  readonly #capacity: number;
  readonly #cache = new Map<string, CachedKey>();

  constructor(provider: KeyProvider, capacity: number) {
    this.#provider = provider;
    this.#capacity = capacity;
  }

  /**
   * Runs `use` with the device's prepared TOTP key. The key must not escape `use`: without a
   * cache it is destroyed straight after.
   */
  async with<T>(device: OtpDeviceRecord, use: (key: TotpKey) => T): Promise<T> {
    const cached = this.cached(device);
    return cached === undefined ? this.#open(device, use) : use(cached);
  }

  /** The device's prepared key if it is cached and current; lets hot paths skip an await. */
  cached(device: OtpDeviceRecord): TotpKey | undefined {
    const cached = this.#cache.get(device.id);
    if (cached === undefined) return undefined;
    if (
      cached.userId !== device.userId ||
      cached.keyId !== device.keyId ||
      !constantTimeEqual(cached.blob, device.encryptedSecret)
    )
      return undefined;
    this.#cache.delete(device.id);
    this.#cache.set(device.id, cached);
    return cached.key;
  }

  async #open<T>(device: OtpDeviceRecord, use: (key: TotpKey) => T): Promise<T> {
    const { encryptedSecret, keyId } = device;
    const cached = this.#cache.get(device.id);
    const secret = await openSecret(
      this.#provider,
      { keyId, blob: encryptedSecret },
      deviceAssociatedData(device.userId, device.id),
    );
    let key: TotpKey;
    try {
      // Length was checked when the secret was created or imported.
      key = createTotp(secret, {
        algorithm: device.algorithm,
        digits: device.digits,
        period: device.period,
        allowShortSecret: true,
      });
    } finally {
      secret.fill(0);
    }
    if (this.#capacity === 0) {
      try {
        return use(key);
      } finally {
        key.destroy();
      }
    }
    if (cached !== undefined) this.#evict(device.id);
    this.#cache.set(device.id, { userId: device.userId, keyId, blob: encryptedSecret.slice(), key });
    while (this.#cache.size > this.#capacity) {
      const oldest = this.#cache.keys().next().value as string;
      this.#evict(oldest);
    }
    return use(key);
  }

  #evict(deviceId: string): void {
    this.#cache.get(deviceId)?.key.destroy();
    this.#cache.delete(deviceId);
  }

  /** Destroys every cached key. */
  clear(): void {
    for (const id of [...this.#cache.keys()]) this.#evict(id);
  }
}
