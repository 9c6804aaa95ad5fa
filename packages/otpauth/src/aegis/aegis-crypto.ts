/**
 * @module
 * Aegis vault encryption (Aegis docs/vault.md, "Encryption" and "Slots"): a random 256-bit
 * master key encrypts the content with AES-256-GCM; each password slot holds the master key
 * wrapped with AES-256-GCM under scrypt(password, salt, N, r, p, 32 bytes). No associated data.
 */
import { isRecord } from '@mfakit/core/validate';
import { gcm } from '@noble/ciphers/aes.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { invalidAegisVault, otpauthError } from '../errors.js';

export const AEGIS_SLOT_PASSWORD = 1;
/** Aegis' fixed parameters ("These are the same parameters as Android … for full-disk encryption"). */
export const AEGIS_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;

/**
 * What a password slot read from a file may ask for. Aegis has always written r = 8, p = 1 and
 * N = 2^15 (CryptoUtils.CRYPTO_SCRYPT_*); the cost of scrypt grows with r and p as much as with
 * N, and a large r or p also makes the pure-JS derivation run long stretches without yielding
 * to the event loop. So r and p must be exactly Aegis' values, N a power of two up to 4× Aegis'
 * (in case a later Aegis raises it), and all password slots together (a wrong password tries
 * every one) at most that much: a hostile file costs at most ~4 Aegis unlocks, in 10 ms slices.
 */
export const MAX_SCRYPT_N = 2 ** 17;
const MAX_TOTAL_SCRYPT_N = 2 ** 17;
/** Aegis has one password slot, two with a separate backup password. */
const MAX_PASSWORD_SLOTS = 4;

/** True for the scrypt parameters `readPasswordSlots` accepts (and `encryptAegisVault` writes). */
export function isAegisScryptShape(n: unknown, r: unknown, p: unknown): boolean {
  return (
    typeof n === 'number' &&
    Number.isInteger(n) &&
    n >= 2 &&
    n <= MAX_SCRYPT_N &&
    (n & (n - 1)) === 0 &&
    r === AEGIS_SCRYPT.r &&
    p === AEGIS_SCRYPT.p
  );
}

export interface CryptParams {
  nonce: Uint8Array;
  tag: Uint8Array;
}

export interface PasswordSlot {
  key: Uint8Array;
  keyParams: CryptParams;
  n: number;
  r: number;
  p: number;
  salt: Uint8Array;
}

export function hexField(value: unknown, bytes: number | undefined, what: string): Uint8Array {
  if (typeof value !== 'string' || value.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(value)) {
    throw invalidAegisVault(`The vault's ${what} is not hexadecimal: the file is damaged.`);
  }
  if (bytes !== undefined ? value.length !== bytes * 2 : value.length === 0 || value.length > 2048) {
    throw invalidAegisVault(`The vault's ${what} has the wrong length: the file is damaged.`);
  }
  return hexToBytes(value);
}

export function readCryptParams(value: unknown, what: string): CryptParams {
  if (!isRecord(value)) throw invalidAegisVault(`The vault's ${what} are missing: the file is damaged.`);
  return { nonce: hexField(value.nonce, 12, `${what} nonce`), tag: hexField(value.tag, 16, `${what} tag`) };
}

/** The password slots of `header.slots`, validated and bounded. */
export function readPasswordSlots(slots: unknown): PasswordSlot[] {
  if (!Array.isArray(slots)) throw invalidAegisVault('The vault header has no slots list: the file is damaged.');
  const passwordSlots = slots.filter((slot) => isRecord(slot) && slot.type === AEGIS_SLOT_PASSWORD);
  if (passwordSlots.length === 0) {
    throw otpauthError(
      'invalid_aegis_vault',
      'The vault has no password slot (only biometric or raw keys): in Aegis, set a password, then export again.',
    );
  }
  if (passwordSlots.length > MAX_PASSWORD_SLOTS) {
    throw invalidAegisVault(`The vault has more than ${MAX_PASSWORD_SLOTS} password slots: the file is damaged.`);
  }
  // Every slot's parameters are checked before the first derivation.
  const parsed = passwordSlots.map((slot: Record<string, unknown>) => {
    const { n, r, p } = slot;
    if (!isAegisScryptShape(n, r, p)) {
      throw invalidAegisVault(
        `A password slot has scrypt parameters Aegis does not write (it uses r = ${AEGIS_SCRYPT.r}, p = ${AEGIS_SCRYPT.p}, N a power of two up to 2^17): the file is damaged or not from Aegis.`,
      );
    }
    return {
      key: hexField(slot.key, 32, 'slot key'),
      keyParams: readCryptParams(slot.key_params, 'slot key parameters'),
      n: n as number,
      r: AEGIS_SCRYPT.r,
      p: AEGIS_SCRYPT.p,
      salt: hexField(slot.salt, undefined, 'slot salt'),
    };
  });
  if (parsed.reduce((total, slot) => total + slot.n, 0) > MAX_TOTAL_SCRYPT_N) {
    throw invalidAegisVault(
      'The password slots together ask for more scrypt work than any Aegis export: the file is damaged.',
    );
  }
  return parsed;
}

export async function deriveSlotKey(
  password: string,
  slot: Pick<PasswordSlot, 'n' | 'r' | 'p' | 'salt'>,
): Promise<Uint8Array> {
  const passwordBytes = new TextEncoder().encode(password);
  try {
    return await scryptAsync(passwordBytes, slot.salt, {
      N: slot.n,
      r: slot.r,
      p: slot.p,
      dkLen: 32,
      maxmem: 128 * slot.r * (slot.n + slot.p + 2),
    });
  } finally {
    passwordBytes.fill(0);
  }
}

/** AES-256-GCM open of `ciphertext` + `tag`; undefined when authentication fails. */
export function open(key: Uint8Array, params: CryptParams, ciphertext: Uint8Array): Uint8Array | undefined {
  const sealed = new Uint8Array(ciphertext.length + params.tag.length);
  sealed.set(ciphertext);
  sealed.set(params.tag, ciphertext.length);
  try {
    return gcm(key, params.nonce).decrypt(sealed);
  } catch {
    return undefined;
  }
}

/** AES-256-GCM seal, split into ciphertext and tag the way Aegis stores them. */
export function seal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  const sealed = gcm(key, nonce).encrypt(plaintext);
  return { ciphertext: sealed.slice(0, sealed.length - 16), tag: sealed.slice(sealed.length - 16) };
}

/** Tries every password slot; returns the master key or throws 'aegis_bad_password'. */
export async function unwrapMasterKey(slots: readonly PasswordSlot[], password: string): Promise<Uint8Array> {
  for (const slot of slots) {
    const slotKey = await deriveSlotKey(password, slot);
    const masterKey = open(slotKey, slot.keyParams, slot.key);
    slotKey.fill(0);
    if (masterKey !== undefined && masterKey.length === 32) return masterKey;
    masterKey?.fill(0);
  }
  throw otpauthError(
    'aegis_bad_password',
    'The password does not unlock this Aegis vault: use the password the export was made with (Aegis asks for it when exporting encrypted).',
  );
}
