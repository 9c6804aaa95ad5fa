import { isMfaError } from '@mfakit/core';
import {
  type AuditRecord,
  generateDataKey,
  type KeyProvider,
  MemoryNotifier,
  MemoryRegistryStore,
  type OtpDeviceRecord,
  Registry,
} from '@mfakit/registry';
import {
  createMfaWorld,
  enrollHardwareToken,
  FakeClock,
  inspectMemoryStore,
  secretEncodings,
  signUp,
  simulateEnrollment,
  TokenSeedFile,
} from '@mfakit/testing';
import { describe, expect, it } from 'vitest';

/** Every string and number in an audit record, flattened. */
function auditValues(records: AuditRecord[]): (string | number)[] {
  return records.flatMap((record) =>
    [record.event, record.actor, record.userId, record.deviceId, ...Object.values(record.detail)].filter(
      (value): value is string | number => typeof value === 'string' || typeof value === 'number',
    ),
  );
}

class RotatingKeys implements KeyProvider {
  readonly keys = new Map<string, Uint8Array>([['k1', generateDataKey()]]);
  current = 'k1';
  currentKeyId(): string {
    return this.current;
  }
  getKey(keyId: string): Uint8Array | undefined {
    return this.keys.get(keyId);
  }
}

describe('secrets and codes never leak', () => {
  it('keeps device secrets, OTP codes and recovery codes out of the store dump and the audit log', async () => {
    const store = new MemoryRegistryStore();
    const world = createMfaWorld({ store });
    const user = await signUp(world, { name: 'Canary', kind: 'root' });
    const phone = await simulateEnrollment(world.registry, user, { clock: world.clock });
    const seeds = TokenSeedFile.generate(1);
    await world.registry.importHardwareTokens(seeds.csv);
    const hardware = await enrollHardwareToken(world, user, seeds, 'GAHT00000001');
    const usedCodes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const code = phone.authenticator.code();
      usedCodes.push(code);
      expect((await world.registry.verifySignIn(user.id, code)).ok).toBe(true);
      await world.registry.verifySignIn(user.id, code); // replay
      world.clock.step();
    }
    usedCodes.push(hardware.token.code());
    await world.registry.verifySignIn(user.id, hardware.token.code());
    const recoveryCodes = await world.registry.generateRecoveryCodes(user.id);
    await world.registry.useRecoveryCode(user.id, recoveryCodes[3] as string);
    await world.registry.useRecoveryCode(user.id, recoveryCodes[3] as string); // reused
    await world.registry.useRecoveryCode(user.id, 'AAAA-BBBB-CCCC-DDDD'); // wrong
    const { sessionId } = await world.registry.startRecovery(user.id);
    const emailCode = world.notifier.lastCode(user.id, 'email') as string;
    const phoneCode = world.notifier.lastCode(user.id, 'phone') as string;
    const limited = await world.registry.startRecovery(user.id).catch((error: unknown) => error);
    expect(isMfaError(limited, 'recovery_rate_limited')).toBe(true);
    await world.registry.completeRecovery(sessionId, phoneCode, emailCode); // swapped: refused
    // The gateway fails the "recovery completed" email with an error that echoes secrets.
    const send = world.notifier.send.bind(world.notifier);
    const gatewayError = `gateway refused ${user.email}: ${emailCode} ${phoneCode} ${recoveryCodes.join(' ')}`;
    world.notifier.send = async (notification) => {
      if (notification.kind === 'recovery_completed' && notification.channel === 'email') {
        throw new Error(gatewayError);
      }
      return send(notification);
    };
    const completed = await world.registry.completeRecovery(sessionId, emailCode, phoneCode);
    expect(completed).toMatchObject({ ok: true, failedNotices: ['email'] });

    const secrets = [phone.enrollment.secret, seeds.token('GAHT00000001').secret];
    const dump = inspectMemoryStore(store).dump();
    for (const secret of secrets) {
      for (const encoded of secretEncodings(secret)) expect(dump).not.toContain(encoded);
    }

    const audit = await world.registry.listAudit();
    // Every kind of record the flows above write is searched, the newer ones included.
    expect(new Set(audit.map((record) => record.event))).toEqual(
      new Set([
        'account_created',
        'user_created',
        'device_created',
        'device_enabled',
        'hardware_tokens_imported',
        'hardware_token_assigned',
        'sign_in_succeeded',
        'sign_in_replayed',
        'recovery_codes_generated',
        'recovery_code_used',
        'recovery_code_reused',
        'recovery_code_failed',
        'recovery_started',
        'recovery_start_limited',
        'recovery_failed',
        'device_deactivated',
        'recovery_completed',
        'notice_failed',
      ]),
    );
    const values = auditValues(audit);
    const auditText = JSON.stringify(audit);
    const canaries = [
      ...secrets.flatMap(secretEncodings),
      ...usedCodes,
      ...recoveryCodes,
      ...recoveryCodes.map((code) => code.replaceAll('-', '')),
      emailCode,
      phoneCode,
    ];
    for (const canary of canaries) {
      for (const value of values) {
        if (typeof value === 'string') expect(value).not.toContain(canary);
        else expect(String(value)).not.toBe(canary.replace(/^0+/, ''));
      }
    }
    for (const canary of [...recoveryCodes, emailCode, phoneCode]) expect(auditText).not.toContain(canary);
    for (const canary of canaries) expect(`${String(limited)} ${JSON.stringify(limited)}`).not.toContain(canary);
    // Neither the gateway's error nor the address it names reaches the audit log or the result.
    for (const canary of [gatewayError, 'gateway refused', user.email]) {
      expect(auditText).not.toContain(canary);
      expect(JSON.stringify(completed)).not.toContain(canary);
    }
    expect(String(world.registry)).not.toContain(Buffer.from(world.keys.getKey('k1') as Uint8Array).toString('hex'));
    expect(String(world.keys)).toBe('StaticKeyProvider(k1; current k1)');
  });

  it('binds a sealed secret to its device id (AAD): a blob moved to another device fails to open', async () => {
    const store = new MemoryRegistryStore();
    const world = createMfaWorld({ store });
    const user = await signUp(world, { name: 'Mover' });
    const first = await simulateEnrollment(world.registry, user, { clock: world.clock });
    const second = await simulateEnrollment(world.registry, user, { clock: world.clock, name: 'second' });
    const stolen = ((await store.devices.get(first.deviceId)) as OtpDeviceRecord).encryptedSecret;
    await store.devices.replaceSecret(second.deviceId, 'k1', stolen, 'k1');
    // A fresh registry (no cached keys) over the same store.
    const fresh = new Registry({ store, keys: world.keys, clock: world.clock });
    await expect(fresh.verifySignIn(user.id, first.authenticator.code())).rejects.toSatisfy((error) =>
      isMfaError(error, 'secret_corrupt'),
    );
  });

  it('rotateKeys re-seals every secret under the new key; the old key can then be dropped', async () => {
    const clock = new FakeClock();
    const store = new MemoryRegistryStore();
    const keys = new RotatingKeys();
    const registry = new Registry({ store, keys, clock, notifier: new MemoryNotifier() });
    const user = await registry.createUser({
      name: 'Rotator',
      kind: 'root',
      email: 'r@example.test',
      phone: '+14155550101',
    });
    const phone = await simulateEnrollment(registry, user, { clock });
    const seeds = TokenSeedFile.generate(2);
    await registry.importHardwareTokens(seeds.csv);
    const blobBefore = ((await store.devices.get(phone.deviceId)) as OtpDeviceRecord).encryptedSecret;

    keys.keys.set('k2', generateDataKey());
    keys.current = 'k2';
    expect(await registry.rotateKeys()).toEqual({ keyId: 'k2', devices: 1, tokens: 2 });
    expect(await registry.rotateKeys()).toEqual({ keyId: 'k2', devices: 0, tokens: 0 });
    const device = (await store.devices.get(phone.deviceId)) as OtpDeviceRecord;
    expect(device.keyId).toBe('k2');
    expect(device.encryptedSecret).not.toEqual(blobBefore);
    expect((await store.tokens.list()).map((token) => token.keyId)).toEqual(['k2', 'k2']);

    keys.keys.delete('k1');
    const restarted = new Registry({ store, keys, clock });
    expect((await restarted.verifySignIn(user.id, phone.authenticator.code())).ok).toBe(true);
    const token = seeds.device('GAHT00000002', { clock });
    const [code1, code2] = token.nextCodes(2) as [string, string];
    expect((await restarted.assignHardwareDevice(user.id, 'GAHT00000002', code1, code2)).ok).toBe(true);
    expect((await restarted.listAudit()).some((record) => record.event === 'keys_rotated')).toBe(true);
  });

  it('reports a missing key as key_unavailable', async () => {
    const clock = new FakeClock();
    const store = new MemoryRegistryStore();
    const keys = new RotatingKeys();
    const registry = new Registry({ store, keys, clock });
    const user = await registry.createUser({
      name: 'Keyless',
      kind: 'root',
      email: 'k@example.test',
      phone: '+14155550102',
    });
    const phone = await simulateEnrollment(registry, user, { clock });
    keys.keys.clear();
    keys.keys.set('k9', generateDataKey());
    keys.current = 'k9';
    const restarted = new Registry({ store, keys, clock });
    await expect(restarted.verifySignIn(user.id, phone.authenticator.code())).rejects.toSatisfy((error) =>
      isMfaError(error, 'key_unavailable'),
    );
  });
});

describe('audit chain', () => {
  async function auditedWorld() {
    const store = new MemoryRegistryStore();
    const world = createMfaWorld({ store });
    const user = await signUp(world, { name: 'Audited', kind: 'root' });
    const phone = await simulateEnrollment(world.registry, user, { clock: world.clock });
    await world.registry.verifySignIn(user.id, phone.authenticator.code());
    await world.registry.verifySignIn(user.id, phone.authenticator.code());
    await world.registry.generateRecoveryCodes(user.id);
    return { store, world };
  }

  it('verifies an untouched log, recording every flow', async () => {
    const { world } = await auditedWorld();
    const records = await world.registry.listAudit();
    expect(records.map((record) => record.event)).toEqual([
      'account_created',
      'user_created',
      'device_created',
      'device_enabled',
      'sign_in_succeeded',
      'sign_in_replayed',
      'recovery_codes_generated',
    ]);
    expect(records.every((record) => record.at === world.clock.now() || record.at < world.clock.now())).toBe(true);
    expect(await world.registry.verifyAuditChain()).toEqual({ ok: true, count: 7, head: records[6]?.hash });
  });

  it('detects an edited record', async () => {
    const { store, world } = await auditedWorld();
    inspectMemoryStore(store).tamperAudit((records) =>
      records.map((record) => (record.seq === 6 ? { ...record, outcome: 'ok' } : record)),
    );
    expect(await world.registry.verifyAuditChain()).toEqual({ ok: false, seq: 6, reason: 'hash_mismatch' });
  });

  it('detects an edit even when the attacker recomputes that record’s own hash', async () => {
    const { store, world } = await auditedWorld();
    const { auditRecordHash } = await import('@mfakit/registry');
    inspectMemoryStore(store).tamperAudit((records) =>
      records.map((record) => {
        if (record.seq !== 4) return record;
        const edited = { ...record, userId: 'someone-else' };
        return { ...edited, hash: auditRecordHash(edited) };
      }),
    );
    expect(await world.registry.verifyAuditChain()).toEqual({ ok: false, seq: 5, reason: 'broken_link' });
  });

  it('detects a deleted record', async () => {
    const { store, world } = await auditedWorld();
    inspectMemoryStore(store).tamperAudit((records) => records.filter((record) => record.seq !== 3));
    expect(await world.registry.verifyAuditChain()).toMatchObject({ ok: false, reason: 'sequence_gap' });
  });

  it('detects reordered records', async () => {
    const { store, world } = await auditedWorld();
    inspectMemoryStore(store).tamperAudit((records) => {
      const copy = [...records];
      [copy[2], copy[3]] = [copy[3] as AuditRecord, copy[2] as AuditRecord];
      return copy;
    });
    expect(await world.registry.verifyAuditChain()).toMatchObject({ ok: false, seq: 3 });
  });

  it('detects truncation before a checkpoint kept elsewhere, while the log keeps growing', async () => {
    const { store, world } = await auditedWorld();
    const published = await world.registry.verifyAuditChain();
    if (!published.ok) throw new Error('the untouched log must verify');
    const checkpoint = { seq: published.count, hash: published.head };
    await world.registry.generateRecoveryCodes((await world.registry.listAudit())[1]?.userId as string);
    expect(await world.registry.verifyAuditChain({ checkpoint })).toMatchObject({ ok: true, count: 8 });
    // Cutting only records newer than the checkpoint is not detectable: checkpoint often.
    inspectMemoryStore(store).tamperAudit((records) => records.slice(0, checkpoint.seq));
    expect((await world.registry.verifyAuditChain({ checkpoint })).ok).toBe(true);
    inspectMemoryStore(store).tamperAudit((records) => records.slice(0, checkpoint.seq - 2));
    expect(await world.registry.verifyAuditChain()).toMatchObject({ ok: true });
    expect(await world.registry.verifyAuditChain({ checkpoint })).toEqual({
      ok: false,
      seq: checkpoint.seq,
      reason: 'checkpoint_mismatch',
    });
  });

  it('detects a truncated tail against a published head', async () => {
    const { store, world } = await auditedWorld();
    const head = (await world.registry.verifyAuditChain()).ok
      ? (await world.registry.listAudit()).at(-1)?.hash
      : undefined;
    inspectMemoryStore(store).tamperAudit((records) => records.slice(0, -1));
    expect((await world.registry.verifyAuditChain()).ok).toBe(true);
    expect(await world.registry.verifyAuditChain({ expectedHead: head as string })).toMatchObject({
      ok: false,
      reason: 'head_mismatch',
    });
  });
});
