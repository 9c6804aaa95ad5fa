/**
 * @module
 * The hash-chained audit log. Each record's `hash` is SHA-256 over a domain tag and the
 * canonical JSON of all its other fields, `prevHash` included, so editing a record breaks its
 * own hash, deleting or reordering one breaks the next record's `prevHash` link (and the `seq`
 * run), and nothing can be spliced in without rewriting every later hash.
 *
 * Concurrency: stores call `sealAuditRecord(draft, tip)` *inside* the transaction (or lock) in
 * which they read the current tip and insert the new record, so concurrent appends — from one
 * process or many server instances — always form one chain. The registry does not serialise
 * appends itself: an in-process lock would not help two instances sharing a database.
 *
 * The hash is plain SHA-256 (FIPS 180-4) over UTF-8, so any implementation can verify a log;
 * it is computed with node:crypto because one record is sealed per sign-in and the native hash
 * is several times faster than a pure-JS one (the registry is server-side code). The one-shot
 * `crypto.hash()` (Node ≥ 20.12) skips the Hash object `createHash().update().digest()` builds.
 */
import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditDetail, AuditDraft, AuditRecord } from './model.js';

/** `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);
const DOMAIN = 'mfakit-audit-v2\n';

/** The chain position a new record is appended after: the last record, or none. */
export interface AuditTip {
  seq: number;
  hash: string;
}

/** The hash of an audit record: SHA-256 over the domain tag and the canonical JSON of every other field. */
export function auditRecordHash(record: Omit<AuditRecord, 'hash'>): string {
  // canonicalJson of the record's fields, with the (fixed) top-level keys already in sorted
  // order; the test suite checks this equals the generic canonicalJson output.
  const body =
    `{"accountId":${JSON.stringify(record.accountId)},"actor":${JSON.stringify(record.actor)},` +
    `"at":${canonicalJson(record.at)},"detail":${canonicalJson(record.detail)},` +
    `"deviceId":${JSON.stringify(record.deviceId)},"event":${JSON.stringify(record.event)},` +
    `"outcome":${JSON.stringify(record.outcome)},"prevHash":${JSON.stringify(record.prevHash)},` +
    `"seq":${canonicalJson(record.seq)},"userId":${JSON.stringify(record.userId)}}`;
  return hash('sha256', DOMAIN + body, 'hex');
}

/**
 * What `auditRecordHash` hashes, split around the two fields that depend on the chain's tip:
 * SHA-256 over `prefix + prevHash + infix + String(seq) + suffix` (UTF-8) is the hash of the
 * draft sealed as record `seq` after `prevHash`. For a store that seals where the tip lives (in
 * the database, under its lock, in one statement); the store checks each returned hash with
 * `sealAuditRecord`, so this module stays the one definition of the format.
 */
export function auditHashParts(draft: AuditDraft): { prefix: string; infix: string; suffix: string } {
  return {
    prefix:
      `${DOMAIN}{"accountId":${JSON.stringify(draft.accountId)},"actor":${JSON.stringify(draft.actor)},` +
      `"at":${canonicalJson(draft.at)},"detail":${canonicalJson(draft.detail)},` +
      `"deviceId":${JSON.stringify(draft.deviceId)},"event":${JSON.stringify(draft.event)},` +
      `"outcome":${JSON.stringify(draft.outcome)},"prevHash":"`,
    infix: '","seq":',
    suffix: `,"userId":${JSON.stringify(draft.userId)}}`,
  };
}

/** The exact text `auditRecordHash` hashes after its domain tag (for tests and external verifiers). */
export function auditRecordBody(record: Omit<AuditRecord, 'hash'>): string {
  return canonicalJson({
    seq: record.seq,
    at: record.at,
    event: record.event,
    actor: record.actor,
    accountId: record.accountId,
    userId: record.userId,
    deviceId: record.deviceId,
    outcome: record.outcome,
    detail: record.detail,
    prevHash: record.prevHash,
  });
}

/** A copy of an audit record's (flat, scalar) detail. */
export function copyAuditDetail(detail: AuditDetail): AuditDetail {
  return { ...detail };
}

/** Numbers `draft` after `tip` and computes its hash. Pure: stores call it inside their transaction. */
export function sealAuditRecord(draft: AuditDraft, tip: AuditTip | undefined): AuditRecord {
  // Built once with every field (no spreads: one is sealed per sign-in); `hash` last.
  const record: AuditRecord = {
    seq: tip === undefined ? 1 : tip.seq + 1,
    at: draft.at,
    event: draft.event,
    actor: draft.actor,
    accountId: draft.accountId,
    userId: draft.userId,
    deviceId: draft.deviceId,
    outcome: draft.outcome,
    detail: copyAuditDetail(draft.detail),
    prevHash: tip === undefined ? GENESIS_HASH : tip.hash,
    hash: '',
  };
  record.hash = auditRecordHash(record);
  return record;
}

/** What `verifyAuditChain` found: the whole chain verifies (`count`, `head`), or where it first does not. */
export type AuditChainResult =
  | { ok: true; count: number; head: string }
  | {
      ok: false;
      /** `seq` of the first record that does not verify (or where one is missing). */
      seq: number;
      reason: 'hash_mismatch' | 'broken_link' | 'sequence_gap' | 'head_mismatch' | 'checkpoint_mismatch';
    };

/** What to check the chain against besides itself. */
export interface VerifyAuditChainOptions {
  /**
   * The head hash the log must end with (from `verifyAuditChain().head`, kept elsewhere). Only
   * fits a log that has not grown since; for a live log use `checkpoint`. Without either,
   * deleting records from the *end* of the log cannot be detected: the remaining prefix is a
   * valid chain.
   */
  expectedHead?: string;
  /**
   * A chain position recorded elsewhere (`{ seq: result.count, hash: result.head }` of an earlier
   * verification, e.g. written daily to another system): record `seq` must still exist with this
   * hash. Detects truncation to before it and a rewritten log, while later records may follow.
   * Records after the latest checkpoint can still be cut off undetected.
   */
  checkpoint?: AuditTip;
}

function checkCheckpoint(checkpoint: AuditTip | undefined): void {
  if (checkpoint === undefined) return;
  if (typeof checkpoint !== 'object' || checkpoint === null) throw new TypeError('checkpoint must be { seq, hash }');
  if (!Number.isInteger(checkpoint.seq) || checkpoint.seq < 1) {
    throw new RangeError('checkpoint.seq must be an integer ≥ 1');
  }
  if (typeof checkpoint.hash !== 'string') throw new TypeError('checkpoint.hash must be a string');
}

/**
 * Checks records (in `seq` order, from the first) for edits, deletions and reordering:
 * each hash recomputes, each `prevHash` links to the previous record, and `seq` runs 1, 2, 3, ….
 * Deleting the newest records is only caught against a head or checkpoint kept elsewhere.
 */
export function verifyAuditChain(
  records: readonly AuditRecord[],
  options: VerifyAuditChainOptions = {},
): AuditChainResult {
  if (!Array.isArray(records)) throw new TypeError('records must be an array of audit records');
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { checkpoint } = options;
  checkCheckpoint(checkpoint);
  if (options.expectedHead !== undefined && typeof options.expectedHead !== 'string') {
    throw new TypeError('expectedHead must be a hash (hex string)');
  }
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  for (const record of records) {
    if (record.seq !== expectedSeq)
      return { ok: false, seq: Math.min(record.seq, expectedSeq), reason: 'sequence_gap' };
    if (record.prevHash !== previous) return { ok: false, seq: record.seq, reason: 'broken_link' };
    if (auditRecordHash(record) !== record.hash) return { ok: false, seq: record.seq, reason: 'hash_mismatch' };
    if (checkpoint !== undefined && record.seq === checkpoint.seq && record.hash !== checkpoint.hash) {
      return { ok: false, seq: checkpoint.seq, reason: 'checkpoint_mismatch' };
    }
    previous = record.hash;
    expectedSeq++;
  }
  if (checkpoint !== undefined && expectedSeq <= checkpoint.seq) {
    return { ok: false, seq: checkpoint.seq, reason: 'checkpoint_mismatch' };
  }
  if (options.expectedHead !== undefined && options.expectedHead !== previous) {
    return { ok: false, seq: expectedSeq - 1, reason: 'head_mismatch' };
  }
  return { ok: true, count: records.length, head: previous };
}
