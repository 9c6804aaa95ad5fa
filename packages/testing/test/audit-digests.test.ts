import {
  type AuditRecord,
  auditRecordHash,
  ed25519AuditSigner,
  generateAuditSigningKey,
  MemoryRegistryStore,
  verifyAuditDigests,
} from '@mfakit/registry';
import { createMfaWorld, enrollPhone, inspectMemoryStore, signIn, signUp } from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

/** What someone who can write the database does: edit a record and recompute every hash after it. */
function rewrite(records: AuditRecord[], edit: (record: AuditRecord) => AuditRecord): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const original of records) {
    const edited = edit({ ...original, prevHash: out.at(-1)?.hash ?? original.prevHash });
    out.push({ ...edited, hash: auditRecordHash(edited) });
  }
  return out;
}

async function signedWorld() {
  const { secretKey, publicKey } = generateAuditSigningKey();
  const store = new MemoryRegistryStore();
  const world = createMfaWorld({ store, auditSigner: ed25519AuditSigner('audit-2026', secretKey), maxFailures: 50 });
  const user = await signUp(world, { name: 'Audited', kind: 'root' });
  const phone = await enrollPhone(world, user);
  await world.registry.verifySignIn(user.id, '000000'); // a failure the attacker wants to hide
  const first = await world.registry.signAuditDigest();
  await signIn(world, user, phone.authenticator);
  world.clock.step();
  const second = await world.registry.signAuditDigest(first);
  return { store, world, user, phone, digests: [first, second], publicKeys: { 'audit-2026': publicKey }, secretKey };
}

describe('signed audit digests (against a database writer)', () => {
  it('verify with the public key alone', async () => {
    const { world, digests, publicKeys, secretKey } = await signedWorld();
    expect(await world.registry.verifyAuditDigests(digests, publicKeys)).toMatchObject({ ok: true, digests: 2 });
    expect(JSON.stringify(digests)).not.toContain(Buffer.from(secretKey).toString('hex'));
    expect(String(world.registry.config.auditSigner)).not.toContain(Buffer.from(secretKey).toString('hex'));
    expect(JSON.stringify(world.registry.config.auditSigner)).toBe('{"keyId":"audit-2026"}');
  });

  it('catch an old failure rewritten into a success with every hash recomputed (the chain alone does not)', async () => {
    const { store, world, digests, publicKeys } = await signedWorld();
    inspectMemoryStore(store).tamperAudit((records) =>
      rewrite(records, (record) =>
        record.event === 'sign_in_failed'
          ? { ...record, event: 'sign_in_succeeded', outcome: 'ok', detail: {} }
          : record,
      ),
    );
    expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    expect(await world.registry.verifyAuditDigests(digests, publicKeys)).toEqual({
      ok: false,
      digest: 0,
      reason: 'digest_mismatch',
    });
  });

  it('catch records deleted before a digest, a forged digest, a dropped digest and an unknown key', async () => {
    const { store, world, digests, publicKeys } = await signedWorld();
    const [first, second] = digests as [(typeof digests)[0], (typeof digests)[0]];
    // A digest re-signed by someone without the key: the signature fails.
    const forged = { ...second, seq: second.seq - 1 };
    expect(await world.registry.verifyAuditDigests([first, forged], publicKeys)).toMatchObject({
      ok: false,
      reason: 'digest_signature',
    });
    // The first digest dropped: the second no longer links.
    expect(await world.registry.verifyAuditDigests([second], publicKeys)).toMatchObject({
      ok: false,
      reason: 'digest_link',
    });
    expect(await world.registry.verifyAuditDigests(digests, {})).toMatchObject({
      ok: false,
      reason: 'digest_unknown_key',
    });
    // The log cut back to before the second digest, every hash still valid.
    inspectMemoryStore(store).tamperAudit((records) => records.slice(0, first.seq));
    expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    expect(await world.registry.verifyAuditDigests(digests, publicKeys)).toMatchObject({
      ok: false,
      digest: 1,
      reason: 'digest_mismatch',
    });
  });

  it('refuses to sign without a signer, and verifies an empty log with digests of it', async () => {
    const world = createMfaWorld();
    await expect(world.registry.signAuditDigest()).rejects.toThrow(TypeError);
    const { secretKey, publicKey } = generateAuditSigningKey();
    const signer = ed25519AuditSigner('k', secretKey);
    const empty = createMfaWorld({ auditSigner: signer });
    const digest = await empty.registry.signAuditDigest();
    expect(digest).toMatchObject({ seq: 0 });
    expect(verifyAuditDigests([], [digest], { k: publicKey })).toMatchObject({ ok: true, digests: 1 });
    expect(() => ed25519AuditSigner('k', new Uint8Array(31))).toThrow(RangeError);
  });
});
