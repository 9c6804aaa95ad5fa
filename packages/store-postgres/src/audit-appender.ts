/**
 * @module
 * Appends to the audit chain outside transactions, in batches. Appends of one process queue
 * here; each round takes the chain's lock (a transaction-scoped advisory lock on the schema's
 * chain, so instances take turns instead of racing), reads the tip, seals every queued record
 * after it (`sealAuditRecord`, one after another), inserts them in one statement and commits.
 * One round carries every record that arrived while the previous one was in flight, so the tip
 * limits rounds per second, not records. A round is three round trips: BEGIN with the lock and
 * the tip read in one, the insert, COMMIT. The primary key on `seq` stays the last word: a round
 * that still collides (a writer that did not take the lock) fails whole and is sealed again.
 */
import { type AuditDraft, type AuditRecord, sealAuditRecord } from '@mfakit/registry/store';
import type { PgPool, PgQueryResult } from './client.js';
import { isUniqueViolation, storeError, wrapDriverError } from './errors.js';
import { AUDIT_COLUMNS, auditParams, num } from './rows.js';
import type { Statements } from './statements.js';

/** Records per insert at most (11 arrays of this length in one statement). */
const MAX_BATCH = 500;
/** Rounds lost to other instances before an append gives up (`store_unavailable`). */
const MAX_ROUNDS = 100;

interface Pending {
  draft: AuditDraft;
  resolve: (record: AuditRecord) => void;
  reject: (error: unknown) => void;
}

export class AuditAppender {
  readonly #pool: () => PgPool;
  readonly #s: Statements;
  readonly #lock: string;
  readonly #tip: string;
  #queue: Pending[] = [];
  #running = false;

  constructor(pool: () => PgPool, statements: Statements, lockStatement: string) {
    this.#pool = pool;
    this.#s = statements;
    this.#lock = lockStatement;
    this.#tip = statements.auditTip([]).text;
  }

  append(draft: AuditDraft): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ draft, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        try {
          const records = await this.#write(batch.map((pending) => pending.draft));
          for (const [i, pending] of batch.entries()) pending.resolve(records[i] as AuditRecord);
        } catch (error) {
          const wrapped = wrapDriverError(error, 'audit.append');
          for (const pending of batch) pending.reject(wrapped);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #write(drafts: AuditDraft[]): Promise<AuditRecord[]> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const client = await this.#pool().connect();
      try {
        // BEGIN, the lock and the tip in one round trip (simple protocol: one result per
        // statement). Under READ COMMITTED each statement takes a new snapshot, so the tip read
        // after the lock is granted is the newest committed one.
        const results = (await client.query({ text: `BEGIN; ${this.#lock}; ${this.#tip}` })) as unknown as
          | PgQueryResult[]
          | PgQueryResult;
        const tipRow = (Array.isArray(results) ? results.at(-1) : results)?.rows[0];
        let tip = tipRow === undefined ? undefined : { seq: num(tipRow.seq), hash: tipRow.hash as string };
        const records: AuditRecord[] = [];
        for (const draft of drafts) {
          const record = sealAuditRecord(draft, tip);
          records.push(record);
          tip = record;
        }
        await client.query(this.#s.auditInsertMany(columns(records)));
        await client.query({ text: 'COMMIT' });
        client.release();
        return records;
      } catch (error) {
        try {
          await client.query({ text: 'ROLLBACK' });
          client.release();
        } catch {
          client.release(true);
        }
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw storeError(
      'store_unavailable',
      'audit.append: lost the race for the chain tip too often; nothing was appended',
    );
  }
}

/** The records as one array per column, for `INSERT … SELECT FROM unnest(…)`. */
export function columns(records: AuditRecord[]): unknown[] {
  const rows = records.map(auditParams);
  return AUDIT_COLUMNS.map((_, index) => rows.map((row) => row[index]));
}
