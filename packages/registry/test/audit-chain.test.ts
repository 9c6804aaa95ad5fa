import {
  type AuditDraft,
  type AuditRecord,
  auditRecordBody,
  auditRecordHash,
  canonicalJson,
  GENESIS_HASH,
  verifyAuditChain,
} from '@mfakit/registry';
import { auditHashParts, sealAuditRecord } from '@mfakit/registry/store';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const draft = (n: number): AuditDraft => ({
  at: 1_000 + n,
  event: n % 2 === 0 ? 'sign_in_succeeded' : 'sign_in_failed',
  actor: `user-${n % 3}`,
  accountId: n % 4 === 0 ? null : `acct-${n % 2}`,
  userId: `user-${n % 3}`,
  deviceId: n % 2 === 0 ? `dev-${n}` : null,
  outcome: n % 2 === 0 ? 'ok' : 'fail',
  detail: { n },
});

/** `records` with position `index` replaced (Array.prototype.with is ES2023; the lib is ES2022). */
function replaced(records: AuditRecord[], index: number, record: AuditRecord): AuditRecord[] {
  return records.map((item, i) => (i === index ? record : item));
}

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let n = 0; n < length; n++) records.push(sealAuditRecord(draft(n), records.at(-1)));
  return records;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: -0.5 } })).toBe(
      '{"a":{"c":-0.5,"d":[true,null,"x"]},"b":1}',
    );
  });

  it('is independent of key insertion order', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
        (object) => {
          const reversed = Object.fromEntries(Object.entries(object).reverse());
          expect(canonicalJson(reversed)).toBe(canonicalJson(object));
          expect(JSON.parse(canonicalJson(object))).toEqual(object);
        },
      ),
    );
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(RangeError);
  });
});

describe('audit hash chain', () => {
  it('links each record to the previous hash, starting from the genesis hash', () => {
    const records = chain(3);
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3]);
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    expect(records[1]?.prevHash).toBe(records[0]?.hash);
    expect(records[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyAuditChain(records)).toEqual({ ok: true, count: 3, head: records[2]?.hash });
    expect(verifyAuditChain([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it('hashes SHA-256("mfakit-audit-v2\\n" + canonical JSON of every field but the hash)', () => {
    for (const record of chain(5)) {
      const { hash, ...rest } = record;
      expect(auditRecordBody(rest)).toBe(canonicalJson({ ...rest }));
      const expected = bytesToHex(sha256(utf8ToBytes(`mfakit-audit-v2\n${auditRecordBody(rest)}`)));
      expect(hash).toBe(expected);
    }
  });

  it('splits the hashed text around prevHash and seq exactly as the record is hashed (auditHashParts)', () => {
    const drafts = [
      ...chain(4).map(({ seq: _seq, prevHash: _prev, hash: _hash, ...rest }) => rest),
      { ...draft(1), actor: 'ünïcödé "quoted" \\ back', detail: { note: 'line\nbreak', emoji: '🔑', n: -1.5 } },
    ];
    for (const [i, item] of drafts.entries()) {
      const tip = i === 0 ? undefined : { seq: 41 + i * 1000, hash: 'ab'.repeat(32) };
      const record = sealAuditRecord(item, tip);
      const { prefix, infix, suffix } = auditHashParts(item);
      const text = `${prefix}${record.prevHash}${infix}${record.seq}${suffix}`;
      expect(bytesToHex(sha256(utf8ToBytes(text)))).toBe(record.hash);
    }
    fc.assert(
      fc.property(
        fc.record({ actor: fc.string(), userId: fc.option(fc.string()), note: fc.string(), seq: fc.nat() }),
        ({ actor, userId, note, seq }) => {
          const item = { ...draft(2), actor, userId, detail: { note } };
          const record = sealAuditRecord(item, { seq, hash: GENESIS_HASH });
          const { prefix, infix, suffix } = auditHashParts(item);
          return bytesToHex(sha256(utf8ToBytes(`${prefix}${GENESIS_HASH}${infix}${seq + 1}${suffix}`))) === record.hash;
        },
      ),
    );
  });

  it('detects any single-field edit, deletion or swap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), fc.nat(5), (length, position, mutation) => {
        const records = chain(length);
        const index = position % length;
        const target = records[index] as AuditRecord;
        let tampered: AuditRecord[];
        switch (mutation) {
          case 0:
            tampered = replaced(records, index, { ...target, at: target.at + 1 });
            break;
          case 1:
            tampered = replaced(records, index, { ...target, detail: { n: -1 } });
            break;
          case 2:
            tampered = replaced(records, index, { ...target, actor: 'mallory' });
            break;
          case 3: {
            const edited = { ...target, outcome: target.outcome === 'ok' ? ('fail' as const) : ('ok' as const) };
            tampered = replaced(records, index, { ...edited, hash: auditRecordHash(edited) });
            if (index === length - 1) return; // a rehashed last record needs an anchored head (next test)
            break;
          }
          case 4:
            tampered = records.filter((_, i) => i !== index);
            if (index === length - 1) return; // tail deletion needs an anchored head (next test)
            break;
          default: {
            const other = (index + 1) % length;
            tampered = replaced(replaced(records, index, records[other] as AuditRecord), other, target);
          }
        }
        expect(verifyAuditChain(tampered).ok).toBe(false);
      }),
    );
  });

  it('detects tail truncation and a rehashed last record against a published head', () => {
    const records = chain(4);
    const head = (records[3] as AuditRecord).hash;
    expect(verifyAuditChain(records.slice(0, 3), { expectedHead: head })).toMatchObject({
      ok: false,
      reason: 'head_mismatch',
    });
    const last = { ...(records[3] as AuditRecord), event: 'edited' };
    const rehashed = replaced(records, 3, { ...last, hash: auditRecordHash(last) });
    expect(verifyAuditChain(rehashed, { expectedHead: head }).ok).toBe(false);
    expect(verifyAuditChain(records, { expectedHead: head }).ok).toBe(true);
  });

  it('checks a checkpoint published earlier while the log keeps growing', () => {
    const records = chain(6);
    const published = verifyAuditChain(records.slice(0, 4)); // e.g. yesterday's head, kept elsewhere
    if (!published.ok) throw new Error('unreachable');
    const checkpoint = { seq: published.count, hash: published.head };
    // expectedHead only fits a log that has not grown since; a checkpoint still verifies.
    expect(verifyAuditChain(records, { expectedHead: checkpoint.hash })).toMatchObject({ ok: false });
    expect(verifyAuditChain(records, { checkpoint })).toEqual({ ok: true, count: 6, head: records[5]?.hash });
    // Truncated to before the checkpoint: detected.
    expect(verifyAuditChain(records.slice(0, 3), { checkpoint })).toEqual({
      ok: false,
      seq: 4,
      reason: 'checkpoint_mismatch',
    });
    // The whole log rewritten with valid hashes (every record re-sealed): detected.
    const rewritten: AuditRecord[] = [];
    for (const record of records) {
      rewritten.push(sealAuditRecord({ ...record, actor: 'someone-else' }, rewritten.at(-1)));
    }
    expect(verifyAuditChain(rewritten).ok).toBe(true);
    expect(verifyAuditChain(rewritten, { checkpoint })).toEqual({ ok: false, seq: 4, reason: 'checkpoint_mismatch' });
    expect(() => verifyAuditChain(records, { checkpoint: { seq: 0, hash: checkpoint.hash } })).toThrow(RangeError);
    expect(() => verifyAuditChain(records, { checkpoint: { seq: 1, hash: 42 as unknown as string } })).toThrow(
      TypeError,
    );
  });
});
