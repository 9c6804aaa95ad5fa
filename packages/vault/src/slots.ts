/**
 * @module
 * Key slots, as in Aegis: the random vault key is stored once per slot, wrapped (AES-256-GCM) by a
 * slot key. A passphrase slot derives its slot key with scrypt (RFC 7914); a keychain slot keeps a
 * random slot key in the OS keychain. The slot's parameters are the wrap's associated data, so a
 * slot cannot be edited (cheaper scrypt cost, another keychain entry) without failing to unwrap.
 */
import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { integerOption } from '@mfakit/core/validate';
import { fromBase64, toBase64 } from './base64.js';
import {
  encodeSlotCiphertext,
  type KeychainSlotRecord,
  keychainAccountName,
  type PassphraseSlotRecord,
  SALT_BYTES,
  SCRYPT_MAX_LOG_N,
  SCRYPT_MIN_LOG_N,
  SCRYPT_P,
  SCRYPT_R,
  type SlotRecord,
  slotCiphertext,
} from './format.js';
import { seal, unseal } from './seal.js';

/**
 * The default `scryptLogN` of a passphrase slot: N = 2^16 (64 MiB of memory). scrypt cost:
 * N = 2^logN (RFC 7914 §2), r = 8, p = 1; reading accepts exactly these shapes.
 */
export const DEFAULT_SCRYPT_LOG_N = 16;
/** The lowest `scryptLogN` accepted: N = 2^15 (32 MiB of memory). */
export const MIN_SCRYPT_LOG_N = SCRYPT_MIN_LOG_N;
/**
 * The highest `scryptLogN` accepted, writing and reading: N = 2^18 (256 MiB, about a second), so a
 * hostile file cannot make an unlock cost more.
 */
export const MAX_SCRYPT_LOG_N = SCRYPT_MAX_LOG_N;

/**
 * The default keychain service name of keychain slots. The entry's account is always
 * `vault <vaultId> slot <slotId>`; it holds the slot's random 32-byte key (as base64 text in
 * the OS keychain).
 */
export const KEYCHAIN_SERVICE = 'mfakit';

export function scryptLogNOption(value: unknown): number {
  return integerOption(value, 'scryptLogN', DEFAULT_SCRYPT_LOG_N, MIN_SCRYPT_LOG_N, MAX_SCRYPT_LOG_N);
}

/**
 * scrypt from node:crypto: native, about twice as fast as the pure-JS one here, and it runs on the
 * libuv thread pool, so a terminal UI keeps drawing while a passphrase is checked.
 * The passphrase is NFKC-normalised so the same text typed on another keyboard/OS unlocks too.
 */
export function derivePassphraseKey(
  passphrase: string,
  salt: Uint8Array,
  params: { n: number; r: number; p: number },
): Promise<Uint8Array> {
  const memory = 128 * params.n * params.r * params.p;
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFKC'),
      salt,
      32,
      { N: params.n, r: params.r, p: params.p, maxmem: 2 * memory + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))),
    );
  });
}

function slotAssociatedData(vaultId: string, slot: SlotRecord): Uint8Array {
  const parameters =
    slot.type === 'passphrase'
      ? [slot.type, slot.kdf, slot.n, slot.r, slot.p, slot.salt]
      : [slot.type, slot.service, slot.account];
  return new TextEncoder().encode(JSON.stringify(['mfakit-vault-slot', vaultId, slot.id, ...parameters]));
}

function wrap<T extends SlotRecord>(vaultId: string, slot: T, slotKey: Uint8Array, vaultKey: Uint8Array): T {
  const { nonce, sealed } = seal(slotKey, vaultKey, slotAssociatedData(vaultId, slot));
  return { ...slot, ...encodeSlotCiphertext(nonce, sealed) };
}

/** The vault key, or `undefined` when `slotKey` is not this slot's key (or the slot was altered). */
export function unwrapSlot(vaultId: string, slot: SlotRecord, slotKey: Uint8Array): Uint8Array | undefined {
  const { nonce, sealed } = slotCiphertext(slot);
  return unseal(slotKey, nonce, sealed, slotAssociatedData(vaultId, slot));
}

/** The same slot with the vault key wrapped again (fresh nonce), e.g. after the vault key changed. */
export function rewrapSlot<T extends SlotRecord>(
  vaultId: string,
  slot: T,
  slotKey: Uint8Array,
  vaultKey: Uint8Array,
): T {
  return wrap(vaultId, slot, slotKey, vaultKey);
}

export async function newPassphraseSlot(
  vaultId: string,
  passphrase: string,
  logN: number,
  vaultKey: Uint8Array,
): Promise<{ slot: PassphraseSlotRecord; slotKey: Uint8Array }> {
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const params = { n: 2 ** logN, r: SCRYPT_R, p: SCRYPT_P };
  const slotKey = await derivePassphraseKey(passphrase, salt, params);
  const draft: PassphraseSlotRecord = {
    id: randomUUID(),
    type: 'passphrase',
    kdf: 'scrypt',
    ...params,
    salt: toBase64(salt),
    nonce: '',
    key: '',
  };
  return { slot: wrap(vaultId, draft, slotKey, vaultKey), slotKey };
}

export function passphraseSlotKey(slot: PassphraseSlotRecord, passphrase: string): Promise<Uint8Array> {
  return derivePassphraseKey(passphrase, fromBase64(slot.salt), slot);
}

export function newKeychainSlot(
  vaultId: string,
  vaultKey: Uint8Array,
  service: string,
): { slot: KeychainSlotRecord; slotKey: Uint8Array } {
  const slotKey = new Uint8Array(randomBytes(32));
  const id = randomUUID();
  const draft: KeychainSlotRecord = {
    id,
    type: 'keychain',
    service,
    account: keychainAccountName(vaultId, id),
    nonce: '',
    key: '',
  };
  return { slot: wrap(vaultId, draft, slotKey, vaultKey), slotKey };
}
