/**
 * @module
 * Export to Aegis vault files that Aegis imports ("Import from file" → Aegis): plain JSON, or
 * encrypted with a password the way Aegis encrypts its own exports.
 */
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { base64Encode } from '../base64.js';
import {
  AEGIS_SCRYPT,
  AEGIS_SLOT_PASSWORD,
  deriveSlotKey,
  isAegisScryptShape,
  MAX_SCRYPT_N,
  seal,
} from './aegis-crypto.js';
import { type AegisAccountInput, aegisDbFromAccounts } from './aegis-entries.js';
import { randomUuid } from './random-uuid.js';

/** Plain (unencrypted) Aegis export, as JSON text indented like Aegis writes it. */
export function buildAegisVault(accounts: readonly AegisAccountInput[]): string {
  const db = aegisDbFromAccounts(accounts);
  return JSON.stringify({ version: 1, header: { slots: null, params: null }, db }, null, 4);
}

/** Options of `encryptAegisVault`. */
export interface EncryptAegisVaultOptions {
  /**
   * scrypt parameters of the password slot. Default Aegis' own N=2^15, r=8, p=1; Aegis on a
   * phone may run out of memory with larger ones, so change them only for tests. r and p must
   * stay 8 and 1 and N at most 2^17: the import accepts nothing else.
   */
  scrypt?: { N: number; r: number; p: number };
}

function scryptOption(options: EncryptAegisVaultOptions): { N: number; r: number; p: number } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('encryptAegisVault options must be an object');
  }
  const scrypt = options.scrypt ?? AEGIS_SCRYPT;
  if (typeof scrypt !== 'object' || scrypt === null) {
    throw new TypeError('options.scrypt must be an object { N, r, p }');
  }
  // Only what the import accepts, so every export opens again.
  if (!isAegisScryptShape(scrypt.N, scrypt.r, scrypt.p)) {
    throw new RangeError(
      `options.scrypt must have r = ${AEGIS_SCRYPT.r}, p = ${AEGIS_SCRYPT.p} and N a power of two from 2 to ${MAX_SCRYPT_N}`,
    );
  }
  return { N: scrypt.N, r: scrypt.r, p: scrypt.p };
}

/** Encrypted Aegis export: one password slot wrapping a fresh master key. */
export async function encryptAegisVault(
  accounts: readonly AegisAccountInput[],
  password: string,
  options: EncryptAegisVaultOptions = {},
): Promise<string> {
  if (typeof password !== 'string') throw new TypeError('encryptAegisVault expects the password as a string');
  if (password === '') throw new RangeError('encryptAegisVault needs a non-empty password');
  const { N, r, p } = scryptOption(options);
  const db = new TextEncoder().encode(JSON.stringify(aegisDbFromAccounts(accounts)));
  const masterKey = randomBytes(32);
  const salt = randomBytes(32);
  const slotKey = await deriveSlotKey(password, { n: N, r, p, salt });
  const slotNonce = randomBytes(12);
  const wrapped = seal(slotKey, slotNonce, masterKey);
  const contentNonce = randomBytes(12);
  const content = seal(masterKey, contentNonce, db);
  slotKey.fill(0);
  masterKey.fill(0);
  db.fill(0);
  const vault = {
    version: 1,
    header: {
      slots: [
        {
          type: AEGIS_SLOT_PASSWORD,
          uuid: randomUuid(),
          key: bytesToHex(wrapped.ciphertext),
          key_params: { nonce: bytesToHex(slotNonce), tag: bytesToHex(wrapped.tag) },
          n: N,
          r,
          p,
          salt: bytesToHex(salt),
          repaired: true,
          is_backup: false,
        },
      ],
      params: { nonce: bytesToHex(contentNonce), tag: bytesToHex(content.tag) },
    },
    db: base64Encode(content.ciphertext),
  };
  return JSON.stringify(vault, null, 4);
}
