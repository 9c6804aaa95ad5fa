/**
 * @module
 * Import of Aegis vault exports (Aegis docs/vault.md "Format"): `{ version: 1, header, db }`,
 * where `db` is the content object (plain export) or base64 AES-256-GCM ciphertext of it
 * (encrypted export, `header.slots` / `header.params` set).
 */
import { isBytes, isRecord } from '@mfakit/core/validate';
import { base64Decode } from '../base64.js';
import { invalidAegisVault, otpauthError } from '../errors.js';
import { open, readCryptParams, readPasswordSlots, unwrapMasterKey } from './aegis-crypto.js';
import { type AegisImport, accountsFromAegisDb } from './aegis-entries.js';

/** Vaults with many icons reach a few MB; this bounds hostile input. */
export const MAX_AEGIS_VAULT_BYTES = 64 * 1024 * 1024;
/**
 * Objects and arrays a file may open (`{` and `[`, counted before parsing, strings included).
 * An entry has 2–3 and icons are strings, so this is 10 000 entries many times over; without it,
 * 57 MB of `{},` became 20 million objects: 51 s and 3.3 GB before the first check.
 */
export const MAX_AEGIS_JSON_CONTAINERS = 200_000;

type Json = Record<string, unknown>;

function countContainers(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x7b || code === 0x5b) count++;
  }
  return count;
}

function parseJson(text: string, what: string): unknown {
  if (countContainers(text) > MAX_AEGIS_JSON_CONTAINERS) {
    throw invalidAegisVault(`The ${what} has more objects than any Aegis export: it is damaged or not from Aegis.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // No cause: V8's JSON errors quote the input, which holds secrets.
    throw invalidAegisVault(`The ${what} is not valid JSON: choose the .json file Aegis exported.`);
  }
}

function textOf(input: string | Uint8Array): string {
  if (typeof input === 'string') {
    if (input.length > MAX_AEGIS_VAULT_BYTES) throw invalidAegisVault('The file is too large to be an Aegis export.');
    return input.replace(/^\uFEFF/, '');
  }
  if (!isBytes(input)) throw new TypeError('An Aegis vault must be given as a string or bytes');
  if (input.length > MAX_AEGIS_VAULT_BYTES) throw invalidAegisVault('The file is too large to be an Aegis export.');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    throw invalidAegisVault('The file is not UTF-8 text: choose the .json file Aegis exported.');
  }
}

interface Vault {
  header: Json;
  db: unknown;
}

function readVault(input: string | Uint8Array): Vault {
  const vault = parseJson(textOf(input), 'file');
  if (!isRecord(vault) || !('db' in vault) || !isRecord(vault.header)) {
    throw invalidAegisVault("This is not an Aegis vault: it needs 'version', 'header' and 'db'.");
  }
  if (vault.version !== 1) {
    throw invalidAegisVault(
      typeof vault.version === 'number' && Number.isInteger(vault.version) && vault.version > 1
        ? `This Aegis vault is format version ${vault.version}, newer than this version reads: update mfakit.`
        : 'This Aegis vault has no valid format version: the file is damaged.',
    );
  }
  return { header: vault.header, db: vault.db };
}

function isEncrypted(vault: Vault): boolean {
  return typeof vault.db === 'string';
}

/**
 * Parses an unencrypted Aegis export. An encrypted one throws `MfaError`
 * 'aegis_password_required' (use `decryptAegisVault`); anything else that is not an Aegis
 * vault throws 'invalid_aegis_vault'. Entries that cannot be imported are in `skipped`.
 */
export function parseAegisVault(input: string | Uint8Array): AegisImport {
  const vault = readVault(input);
  if (isEncrypted(vault)) {
    throw otpauthError(
      'aegis_password_required',
      'This Aegis export is encrypted: give its password (decryptAegisVault), or export again without encryption.',
    );
  }
  return accountsFromAegisDb(vault.db);
}

/**
 * Opens an Aegis export with its password: scrypt for each password slot (Aegis uses
 * N=2^15, r=8, p=1), AES-256-GCM unwrap of the master key, AES-256-GCM decryption of the
 * content. A plain export is parsed as is. Throws `MfaError` 'aegis_bad_password' when no slot
 * opens, 'invalid_aegis_vault' when the file is damaged.
 */
export async function decryptAegisVault(input: string | Uint8Array, password: string): Promise<AegisImport> {
  if (typeof password !== 'string') throw new TypeError('decryptAegisVault expects the password as a string');
  const vault = readVault(input);
  if (!isEncrypted(vault)) return accountsFromAegisDb(vault.db);
  const slots = readPasswordSlots(vault.header.slots);
  const params = readCryptParams(vault.header.params, 'content parameters');
  const ciphertext = base64Field(vault.db as string);
  const masterKey = await unwrapMasterKey(slots, password);
  const plaintext = open(masterKey, params, ciphertext);
  masterKey.fill(0);
  if (plaintext === undefined) {
    throw invalidAegisVault(
      'The password is right but the vault content fails authentication: the file was changed or damaged.',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    throw invalidAegisVault('The decrypted vault content is not UTF-8: the file is damaged.');
  } finally {
    plaintext.fill(0);
  }
  return accountsFromAegisDb(parseJson(text, 'decrypted vault content'));
}

function base64Field(text: string): Uint8Array {
  const trimmed = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0 || trimmed.length === 0) {
    throw invalidAegisVault('The encrypted vault content is not base64: the file is damaged.');
  }
  return base64Decode(trimmed);
}
