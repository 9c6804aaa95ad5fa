/**
 * @module
 * Appends to the audit chain outside transactions, in batches. Appends of one process queue
 * here; each round reads the tip once, seals every queued record after it (`sealAuditRecord`,
 * one after another) and inserts them in one statement. The primary key on `seq` is the tip
 * lock across processes: a round that lost the race to another instance fails as a whole on
 * the unique violation (one statement: all rows or none) and is sealed again on the new tip.
 * So the chain stays one chain, and one round trip pair carries as many records as arrived
 * while the previous round was in flight — the tip limits rounds per second, not records.
 */
import { type AuditDraft, type AuditRecord, canonicalJson, sealAuditRecord } from '@mfakit/registry/store';
import type { PgQueryable } from './client.js';
import { isUniqueViolation, storeError, wrapDriverError } from './errors.js';
import { num } from './rows.js';
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
  readonly #db: () => PgQueryable;
  readonly #s: Statements;
  #queue: Pending[] = [];
  #running = false;

  constructor(db: () => PgQueryable, statements: Statements) {
    this.#db = db;
    this.#s = statements;
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
    const db = this.#db();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const tipRow = (await db.query(this.#s.auditTip([]))).rows[0];
      let tip = tipRow === undefined ? undefined : { seq: num(tipRow.seq), hash: tipRow.hash as string };
      const records: AuditRecord[] = [];
      for (const draft of drafts) {
        const record = sealAuditRecord(draft, tip);
        records.push(record);
        tip = record;
      }
      try {
        await db.query(this.#s.auditInsertMany(columns(records)));
        return records;
      } catch (error) {
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
  return [
    records.map((r) => r.seq),
    records.map((r) => r.at),
    records.map((r) => r.event),
    records.map((r) => r.actor),
    records.map((r) => r.accountId),
    records.map((r) => r.userId),
    records.map((r) => r.deviceId),
    records.map((r) => r.outcome),
    records.map((r) => canonicalJson(r.detail)),
    records.map((r) => r.prevHash),
    records.map((r) => r.hash),
  ];
}
