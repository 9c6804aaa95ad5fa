/**
 * @module
 * Appends to the audit chain outside transactions, in batches. Appends of one process queue
 * here; each round is one statement, `audit_append` (schema.ts, migration 2): inside the server
 * it takes the chain's lock (a transaction-scoped advisory lock on the schema's chain, so
 * instances take turns instead of racing), reads the tip, seals every record of the round after
 * it and inserts them, and the statement's commit releases the lock — the lock is never held
 * across a round trip. One round carries every record that arrived while the previous one was in
 * flight. The text each hash covers is built here (`auditHashParts`), split around the two
 * fields the tip decides, and every hash the server returns is checked against
 * `sealAuditRecord`, which stays the one definition of the record format. The primary key on
 * `seq` stays the last word: a round that still collides fails whole and runs again.
 */
import {
  type AuditDraft,
  type AuditRecord,
  auditHashParts,
  canonicalJson,
  sealAuditRecord,
} from '@mfakit/registry/store';
import type { PgPool } from './client.js';
import { isUniqueViolation, storeError, wrapDriverError } from './errors.js';
import { RoundBatcher } from './round-batcher.js';
import { num } from './rows.js';
import type { Statements } from './statements.js';

/** Records per round at most (12 arrays of this length in one statement). */
const MAX_BATCH = 500;
/** Rounds lost to a colliding writer before an append gives up (`store_unavailable`). */
const MAX_ROUNDS = 100;

export class AuditAppender {
  readonly #pool: () => PgPool;
  readonly #s: Statements;
  readonly #lockKey: string;
  // One round in flight: the rounds of all instances take turns on the chain's lock anyway.
  readonly #rounds = new RoundBatcher<AuditDraft, AuditRecord>({
    maxBatch: MAX_BATCH,
    maxInFlight: 1,
    write: async (drafts) => {
      try {
        return await this.#write(drafts);
      } catch (error) {
        throw wrapDriverError(error, 'audit.append');
      }
    },
  });

  constructor(pool: () => PgPool, statements: Statements, lockKey: string) {
    this.#pool = pool;
    this.#s = statements;
    this.#lockKey = lockKey;
  }

  append(draft: AuditDraft): Promise<AuditRecord> {
    return this.#rounds.submit(draft);
  }

  async #write(drafts: AuditDraft[]): Promise<AuditRecord[]> {
    const parts = drafts.map(auditHashParts);
    const values = [
      this.#lockKey,
      drafts.map((draft) => draft.at),
      drafts.map((draft) => draft.event),
      drafts.map((draft) => draft.actor),
      drafts.map((draft) => draft.accountId),
      drafts.map((draft) => draft.userId),
      drafts.map((draft) => draft.deviceId),
      drafts.map((draft) => draft.outcome),
      drafts.map((draft) => canonicalJson(draft.detail)),
      parts.map((part) => part.prefix),
      parts.map((part) => part.infix),
      parts.map((part) => part.suffix),
    ];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let rows: Record<string, unknown>[];
      try {
        rows = (await this.#pool().query(this.#s.auditAppendSealed(values))).rows;
      } catch (error) {
        if (isUniqueViolation(error)) continue;
        throw error;
      }
      if (rows.length !== drafts.length) {
        throw storeError(
          'store_unavailable',
          `audit.append: ${rows.length} records sealed for ${drafts.length} appended`,
        );
      }
      return drafts.map((draft, i) => {
        const row = rows[i] as Record<string, unknown>;
        const record = sealAuditRecord(draft, { seq: num(row.r_seq) - 1, hash: row.r_prev_hash as string });
        if (record.seq !== num(row.r_seq) || record.hash !== row.r_hash) {
          throw storeError(
            'store_unavailable',
            `audit.append: record ${record.seq} was sealed differently by the database (is its encoding UTF8?)`,
          );
        }
        return record;
      });
    }
    throw storeError(
      'store_unavailable',
      'audit.append: lost the race for the chain tip too often; nothing was appended',
    );
  }
}
