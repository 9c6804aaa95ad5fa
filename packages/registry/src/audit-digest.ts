/**
 * @module
 * Signed audit digests, as AWS CloudTrail's digest files: against someone who can write the
 * database. The hash chain alone (audit-chain.ts) is unkeyed, so a database writer can edit an
 * old `sign_in_failed` into `sign_in_succeeded` and recompute every later hash. A digest is the
 * chain's position (`seq`, `head`) signed with an Ed25519 key (RFC 8032) held outside the
 * database (an `AuditSigner`: a key in memory, or a KMS); each digest also names the previous
 * digest, so digests form their own chain and one cannot be dropped from the middle.
 * `verifyAuditDigests` needs only the public key: a record edited, deleted or reordered at or
 * before the latest digest no longer matches it. What a digest cannot cover: records appended
 * after the latest one (sign digests often — e.g. hourly, as CloudTrail does), and dropping the
 * newest digests (keep the latest digest, or its signature, somewhere else too).
 */
import { isBytes } from '@mfakit/core/validate';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { type AuditChainResult, GENESIS_HASH, verifyAuditChain } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';
import type { AuditRecord } from './model.js';

const DOMAIN = 'mfakit-audit-digest-v1\n';

/** Signs digests. The key stays outside the database; `sign` may call a KMS. */
export interface AuditSigner {
  readonly keyId: string;
  /** The Ed25519 signature of `message` (64 bytes). */
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** A signed position of the audit chain. Plain JSON: store it anywhere, ideally outside the database too. */
export interface AuditDigest {
  version: 1;
  keyId: string;
  /** The last record covered, and its hash. */
  seq: number;
  head: string;
  /** When it was signed (ms since the epoch, registry clock). */
  at: number;
  /** SHA-256 (hex) of the previous digest's signed message; 64 zeros for the first digest. */
  previous: string;
  /** Ed25519 signature (hex) of the digest's message. */
  signature: string;
}

type UnsignedDigest = Omit<AuditDigest, 'signature'>;

/** The exact bytes a digest's signature covers. */
export function auditDigestMessage(digest: UnsignedDigest): Uint8Array {
  const { version, keyId, seq, head, at, previous } = digest;
  return utf8ToBytes(DOMAIN + canonicalJson({ version, keyId, seq, head, at, previous }));
}

/** What a digest's successor names as `previous`. */
export function auditDigestHash(digest: UnsignedDigest): string {
  return bytesToHex(sha256(auditDigestMessage(digest)));
}

/** An `AuditSigner` over an Ed25519 secret key (32 bytes) held in memory. */
export function ed25519AuditSigner(keyId: string, secretKey: Uint8Array): AuditSigner {
  if (typeof keyId !== 'string' || keyId.length === 0) throw new TypeError('keyId must be a non-empty string');
  if (!isBytes(secretKey) || secretKey.length !== 32) {
    throw new RangeError('secretKey must be a 32-byte Ed25519 secret key');
  }
  const key = secretKey.slice();
  return {
    keyId,
    sign: (message) => ed25519.sign(message, key),
    // Never print the key.
    toString: () => `AuditSigner(${keyId})`,
    toJSON: () => ({ keyId }),
  } as AuditSigner;
}

/** A new Ed25519 key pair for digests: keep `secretKey` outside the database, publish `publicKey`. */
export function generateAuditSigningKey(): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

/** Signs the chain's position after `records` (the whole log, as `listAudit()` returns it). */
export async function signAuditDigest(
  signer: AuditSigner,
  records: readonly AuditRecord[],
  at: number,
  previous: AuditDigest | undefined,
): Promise<AuditDigest> {
  const last = records[records.length - 1];
  const unsigned: UnsignedDigest = {
    version: 1,
    keyId: signer.keyId,
    seq: last?.seq ?? 0,
    head: last?.hash ?? GENESIS_HASH,
    at,
    previous: previous === undefined ? GENESIS_HASH : auditDigestHash(previous),
  };
  const signature = await signer.sign(auditDigestMessage(unsigned));
  return { ...unsigned, signature: bytesToHex(signature) };
}

/** What `verifyAuditDigests` found: the chain and every digest verify, or where it first does not. */
export type AuditDigestResult =
  | { ok: true; count: number; head: string; digests: number }
  | Extract<AuditChainResult, { ok: false }>
  | {
      ok: false;
      /** Index of the first digest that does not verify. */
      digest: number;
      reason: 'digest_signature' | 'digest_unknown_key' | 'digest_link' | 'digest_mismatch';
    };

function hexToBytes(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Checks the chain (as `verifyAuditChain`) and every digest, oldest first: its signature under
 * `publicKeys[keyId]`, its link to the digest before it, and that record `seq` is still there with
 * hash `head` (seq 0: the empty log). Needs no secret.
 */
export function verifyAuditDigests(
  records: readonly AuditRecord[],
  digests: readonly AuditDigest[],
  publicKeys: Readonly<Record<string, Uint8Array>>,
): AuditDigestResult {
  if (!Array.isArray(digests)) throw new TypeError('digests must be an array');
  if (typeof publicKeys !== 'object' || publicKeys === null) throw new TypeError('publicKeys must map key ids to keys');
  const chain = verifyAuditChain(records);
  if (!chain.ok) return chain;
  let previous = GENESIS_HASH;
  for (let index = 0; index < digests.length; index++) {
    const digest = digests[index] as AuditDigest;
    const publicKey = Object.hasOwn(publicKeys, digest.keyId) ? publicKeys[digest.keyId] : undefined;
    if (publicKey === undefined) return { ok: false, digest: index, reason: 'digest_unknown_key' };
    const signature = typeof digest.signature === 'string' ? hexToBytes(digest.signature) : undefined;
    let valid = false;
    try {
      valid = signature !== undefined && ed25519.verify(signature, auditDigestMessage(digest), publicKey);
    } catch {
      valid = false;
    }
    if (!valid) return { ok: false, digest: index, reason: 'digest_signature' };
    if (digest.previous !== previous) return { ok: false, digest: index, reason: 'digest_link' };
    const covered = digest.seq === 0 ? GENESIS_HASH : records[digest.seq - 1]?.hash;
    if (covered !== digest.head) return { ok: false, digest: index, reason: 'digest_mismatch' };
    previous = auditDigestHash(digest);
  }
  return { ok: true, count: chain.count, head: chain.head, digests: digests.length };
}
