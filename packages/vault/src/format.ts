/**
 * @module
 * The vault file layout. Everything up to and including the header JSON is stable across versions,
 * so a reader can always tell "damaged" from "written by a newer mfakit". Versions differ in what
 * the payload may hold: version 1 has TOTP and HOTP accounts; version 2 may also have Steam Guard
 * accounts (`type: "steam"`). A save writes the lowest version that holds its accounts, so a vault
 * without a Steam account still opens in an mfakit that reads only version 1, and one with a Steam
 * account is refused there as "written by a newer mfakit" instead of as damaged:
 *
 * ```
 * offset      size  field
 * 0           8     magic "MFAVAULT"
 * 8           4     header length H (uint32, big-endian)
 * 12          32    SHA-256 of the header JSON (detects accidental damage before any key is tried)
 * 44          H     header JSON, UTF-8: format, version, vault id, generation, payload length, key slots
 * 44+H        12    payload nonce
 * 56+H        L     payload ciphertext (L = header.payloadLength)
 * 56+H+L      16    payload GCM tag
 * ```
 *
 * The payload is AES-256-GCM with associated data = bytes [0, 44+H): magic, length, checksum and
 * header are authenticated, so a header edited with a recomputed checksum still fails the tag.
 */
import { isIntegerInRange, isRecord } from '@mfakit/core/validate';
import { fromBase64, toBase64 } from './base64.js';
import { vaultError } from './errors.js';
import { KEY_BYTES, NONCE_BYTES, sha256, TAG_BYTES } from './seal.js';

export const MAGIC = new TextEncoder().encode('MFAVAULT');
/**
 * The vault file format this mfakit writes and the newest it reads; a file with a higher version is
 * refused with `vault_unsupported_version` and left unchanged. Version 1 (all integers big-endian):
 * `"MFAVAULT"` magic (8 bytes), header length H (uint32), SHA-256 of the header (32), the header
 * JSON (H bytes: format, version, vault id, generation, payload length, key slots), then the
 * payload's 12-byte nonce, its AES-256-GCM ciphertext and 16-byte tag. Everything before the nonce
 * is the payload's associated data, so an edited header fails authentication (`vault_tampered`).
 */
/** The newest format version this mfakit reads and writes. */
export const FORMAT_VERSION = 2;

/** Format versions this mfakit reads. */
export type FormatVersion = 1 | 2;
const PREFIX_BYTES = MAGIC.length + 4 + 32;
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** The largest file a vault can be; anything larger is refused before it is read. */
export const MAX_VAULT_FILE_BYTES = PREFIX_BYTES + MAX_HEADER_BYTES + NONCE_BYTES + MAX_PAYLOAD_BYTES + TAG_BYTES;
/**
 * Key slots per vault: a passphrase slot and one keychain slot per machine. The header is only
 * checksummed until a slot opens, so a hostile file could otherwise make an unlock query the
 * keychain hundreds of times.
 */
const MAX_SLOTS = 16;
export const SALT_BYTES = 32;
const WRAPPED_KEY_BYTES = KEY_BYTES + TAG_BYTES;

/**
 * The only scrypt parameters a passphrase slot may have: those `createVault` and
 * `changePassphrase` write (RFC 7914 §2: N = 2^logN with logN 15–18, r = 8, p = 1). The cost grows
 * with r and p as much as with N, so anything else is refused before any derivation: a file
 * cannot make an unlock cost more than N = 2^18 (≈ 1 s, 256 MiB) or fail with a raw scrypt error.
 */
export const SCRYPT_MIN_LOG_N = 15;
export const SCRYPT_MAX_LOG_N = 18;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;

export interface PassphraseSlotRecord {
  id: string;
  type: 'passphrase';
  kdf: 'scrypt';
  n: number;
  r: number;
  p: number;
  salt: string;
  nonce: string;
  key: string;
}

export interface KeychainSlotRecord {
  id: string;
  type: 'keychain';
  service: string;
  account: string;
  nonce: string;
  key: string;
}

export type SlotRecord = PassphraseSlotRecord | KeychainSlotRecord;

export interface VaultHeader {
  format: 'mfakit-vault';
  version: FormatVersion;
  vaultId: string;
  cipher: 'aes-256-gcm';
  /**
   * Save counter: 0 when created, +1 on every save. Authenticated with the header; compared with
   * the highest generation this machine has seen to detect an old copy put back (rollback).
   * Files written before it existed have none and read as 0.
   */
  generation: number;
  payloadLength: number;
  slots: SlotRecord[];
}

export interface ParsedVaultFile {
  header: VaultHeader;
  associatedData: Uint8Array;
  nonce: Uint8Array;
  sealed: Uint8Array;
}

const corrupt = (detail: string) =>
  vaultError(
    'vault_corrupt',
    `The vault file is damaged (${detail}). Restore the backup (the same path with ".bak") or a copy of your own, ` +
      'then open it once with MFAKIT_ACCEPT_ROLLBACK=1.',
  );

export function parseVaultFile(bytes: Uint8Array): ParsedVaultFile {
  if (bytes.length < PREFIX_BYTES || !MAGIC.every((byte, index) => bytes[index] === byte)) {
    if (bytes.length < PREFIX_BYTES && MAGIC.slice(0, bytes.length).every((byte, index) => bytes[index] === byte)) {
      throw corrupt('truncated');
    }
    throw corrupt('not an mfakit vault');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) throw corrupt('impossible header length');
  const headerEnd = PREFIX_BYTES + headerLength;
  if (bytes.length < headerEnd) throw corrupt('truncated');
  const checksum = bytes.subarray(MAGIC.length + 4, PREFIX_BYTES);
  const headerBytes = bytes.subarray(PREFIX_BYTES, headerEnd);
  if (!sha256(headerBytes).every((byte, index) => checksum[index] === byte)) throw corrupt('header checksum mismatch');

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    throw corrupt('unreadable header');
  }
  if (!isRecord(json) || json.format !== 'mfakit-vault') throw corrupt('not an mfakit vault header');
  if (!isIntegerInRange(json.version, 1, Number.MAX_SAFE_INTEGER)) {
    throw corrupt('invalid format version');
  }
  if (json.version > FORMAT_VERSION) {
    throw vaultError(
      'vault_unsupported_version',
      `This vault uses format version ${json.version}, written by a newer mfakit; this one reads up to version ` +
        `${FORMAT_VERSION}. Upgrade mfakit to open it. The file was not changed.`,
    );
  }
  const header = validateHeader(json);
  const expectedLength = headerEnd + NONCE_BYTES + header.payloadLength + TAG_BYTES;
  if (bytes.length < expectedLength) throw corrupt('truncated');
  if (bytes.length > expectedLength) throw corrupt('unexpected bytes after the payload');
  return {
    header,
    associatedData: bytes.subarray(0, headerEnd),
    nonce: bytes.subarray(headerEnd, headerEnd + NONCE_BYTES),
    sealed: bytes.subarray(headerEnd + NONCE_BYTES),
  };
}

/**
 * Lays out a file around `header` (whose payloadLength must already be the plaintext length) and
 * seals the payload with the finished prefix as associated data.
 */
export function buildVaultFile(
  header: VaultHeader,
  sealPayload: (associatedData: Uint8Array) => { nonce: Uint8Array; sealed: Uint8Array },
): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  if (headerBytes.length > MAX_HEADER_BYTES) throw new RangeError('vault header too large');
  const associatedData = new Uint8Array(PREFIX_BYTES + headerBytes.length);
  associatedData.set(MAGIC, 0);
  new DataView(associatedData.buffer).setUint32(MAGIC.length, headerBytes.length);
  associatedData.set(sha256(headerBytes), MAGIC.length + 4);
  associatedData.set(headerBytes, PREFIX_BYTES);
  const { nonce, sealed } = sealPayload(associatedData);
  if (sealed.length !== header.payloadLength + TAG_BYTES) throw new RangeError('payloadLength does not match');
  const file = new Uint8Array(associatedData.length + nonce.length + sealed.length);
  file.set(associatedData, 0);
  file.set(nonce, associatedData.length);
  file.set(sealed, associatedData.length + nonce.length);
  return file;
}

/** Slot fields every slot type has, as bytes: nonce and wrapped key. */
export function slotCiphertext(slot: SlotRecord): { nonce: Uint8Array; sealed: Uint8Array } {
  return { nonce: fromBase64(slot.nonce), sealed: fromBase64(slot.key) };
}

export function encodeSlotCiphertext(nonce: Uint8Array, sealed: Uint8Array): { nonce: string; key: string } {
  return { nonce: toBase64(nonce), key: toBase64(sealed) };
}

function validateHeader(json: Record<string, unknown>): VaultHeader {
  if (json.cipher !== 'aes-256-gcm') throw corrupt('unknown cipher');
  if (!isId(json.vaultId)) throw corrupt('invalid vault id');
  const payloadLength = json.payloadLength;
  if (!isIntegerInRange(payloadLength, 0, Number.MAX_SAFE_INTEGER)) {
    throw corrupt('invalid payload length');
  }
  if (payloadLength > MAX_PAYLOAD_BYTES) throw corrupt('payload too large');
  const generation = json.generation ?? 0;
  if (!isIntegerInRange(generation, 0, Number.MAX_SAFE_INTEGER)) throw corrupt('invalid generation');
  if (!Array.isArray(json.slots) || json.slots.length === 0) throw corrupt('no key slots');
  if (json.slots.length > MAX_SLOTS) throw corrupt('too many key slots');
  const vaultId = json.vaultId;
  const slots = json.slots.map((slot) => validateSlot(slot, vaultId));
  if (new Set(slots.map((slot) => slot.id)).size !== slots.length) throw corrupt('duplicate slot id');
  return {
    format: 'mfakit-vault',
    version: json.version as FormatVersion,
    vaultId: json.vaultId,
    cipher: 'aes-256-gcm',
    generation,
    payloadLength,
    slots,
  };
}

/** The keychain entry a slot names: always this one, so a file cannot point mfakit at other entries. */
export function keychainAccountName(vaultId: string, slotId: string): string {
  return `vault ${vaultId} slot ${slotId}`;
}

function validateSlot(slot: unknown, vaultId: string): SlotRecord {
  if (!isRecord(slot) || !isId(slot.id)) throw corrupt('invalid key slot');
  if (!isBase64Of(slot.nonce, NONCE_BYTES) || !isBase64Of(slot.key, WRAPPED_KEY_BYTES)) {
    throw corrupt('invalid key slot');
  }
  if (slot.type === 'passphrase') {
    const { n, r, p, salt } = slot;
    if (slot.kdf !== 'scrypt' || !isBase64Of(salt, SALT_BYTES)) throw corrupt('invalid passphrase slot');
    if (!isIntegerInRange(n, 2 ** SCRYPT_MIN_LOG_N, 2 ** SCRYPT_MAX_LOG_N) || (n & (n - 1)) !== 0) {
      throw corrupt('scrypt parameters mfakit does not write');
    }
    if (r !== SCRYPT_R || p !== SCRYPT_P) throw corrupt('scrypt parameters mfakit does not write');
    return {
      id: slot.id,
      type: 'passphrase',
      kdf: 'scrypt',
      n,
      r: SCRYPT_R,
      p: SCRYPT_P,
      salt,
      nonce: slot.nonce,
      key: slot.key,
    };
  }
  if (slot.type === 'keychain') {
    const { service, account } = slot;
    if (!isShortText(service) || account !== keychainAccountName(vaultId, slot.id)) {
      throw corrupt('invalid keychain slot');
    }
    return { id: slot.id, type: 'keychain', service, account, nonce: slot.nonce, key: slot.key };
  }
  throw corrupt('unknown key slot type');
}

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function isBase64Of(value: unknown, length: number): value is string {
  if (typeof value !== 'string') return false;
  const bytes = fromBase64(value);
  return bytes.length === length && toBase64(bytes) === value;
}
