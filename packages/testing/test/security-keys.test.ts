import { isMfaError } from '@mfakit/core';
import { MemoryRegistryStore, publicOutcome, type SecurityKeyRecord } from '@mfakit/registry';
import {
  createMfaWorld,
  enrollPhone,
  enrollSecurityKey,
  inspectMemoryStore,
  recoverLostDevice,
  signInWithSecurityKey,
  signUp,
  VirtualSecurityKey,
  WORLD_RELYING_PARTY,
} from '@mfakit/testing';
import { base64UrlDecode } from '@mfakit/u2f';
import { describe, expect, it } from 'vitest';

const origin = WORLD_RELYING_PARTY.origin;

async function withKey(options: Parameters<typeof createMfaWorld>[0] = {}) {
  const store = new MemoryRegistryStore();
  const world = createMfaWorld({ store, ...options });
  const user = await signUp(world, { name: 'Key Holder', kind: 'root' });
  const { deviceId, key } = await enrollSecurityKey(world, user);
  return { store, world, user, deviceId, key };
}

describe('security keys (WebAuthn)', () => {
  it.each(['fido-u2f', 'packed', 'none'] as const)(
    'registers a key with %s attestation and signs in with it',
    async (attestation) => {
      const world = createMfaWorld();
      const user = await signUp(world, { name: `Holder ${attestation}`, kind: 'root' });
      const { deviceId, key } = await enrollSecurityKey(world, user, { attestation, name: 'YubiKey' });
      const [device] = await world.registry.listDevices(user.id);
      expect(device).toMatchObject({
        id: deviceId,
        kind: 'security-key',
        state: 'active',
        name: 'YubiKey',
        flaggedAt: null,
      });
      expect(device?.kind === 'security-key' && device.attestationFormat).toBe(attestation);
      const result = await signInWithSecurityKey(world, user, key);
      expect(result).toMatchObject({ ok: true, deviceId, deviceKind: 'security-key', signCount: key.toJSON().counter });
      const second = await signInWithSecurityKey(world, user, key);
      expect(second.ok).toBe(true);
    },
  );

  it('refuses an assertion sent twice (its challenge is used up), and counts it', async () => {
    const { world, user, key } = await withKey();
    const request = await world.registry.beginSecurityKeySignIn(user.id);
    const assertion = key.getAssertion(request, { origin });
    expect((await world.registry.verifySecurityKeySignIn(user.id, assertion)).ok).toBe(true);
    const again = await world.registry.verifySecurityKeySignIn(user.id, assertion);
    expect(again).toMatchObject({ ok: false, reason: 'mismatch', failureCount: 1 });
    expect(publicOutcome(again)).toEqual({ ok: false });
  });

  it('refuses a wrong origin, a wrong RP ID and a key that was not touched', async () => {
    const { world, user, key } = await withKey();
    for (const ceremony of [
      { origin: 'https://evil.test' },
      { origin, rpId: 'evil.test' },
      { origin, userPresent: false },
    ]) {
      const request = await world.registry.beginSecurityKeySignIn(user.id);
      const assertion = key.getAssertion(request, ceremony);
      expect(await world.registry.verifySecurityKeySignIn(user.id, assertion)).toMatchObject({
        ok: false,
        reason: 'mismatch',
      });
    }
    const audit = await world.registry.listAudit();
    expect(audit.filter((record) => record.event === 'sign_in_failed').map((record) => record.detail.cause)).toEqual([
      'webauthn_wrong_origin',
      'webauthn_wrong_rp_id',
      'webauthn_user_not_present',
    ]);
  });

  it('refuses a challenge issued to another user, for the other ceremony, or expired', async () => {
    const { world, user, key } = await withKey();
    const other = await signUp(world, { name: 'Other', kind: 'root' });
    const otherKey = await enrollSecurityKey(world, other);
    // The other user's challenge, answered by this user's key.
    const foreign = await world.registry.beginSecurityKeySignIn(other.id);
    const mine = await world.registry.beginSecurityKeySignIn(user.id);
    const swapped = key.getAssertion({ ...mine, challenge: foreign.challenge }, { origin });
    expect((await world.registry.verifySecurityKeySignIn(user.id, swapped)).ok).toBe(false);
    // A registration challenge used for a sign-in.
    const creation = await world.registry.beginSecurityKeyRegistration(user.id);
    const wrongCeremony = key.getAssertion({ ...mine, challenge: creation.challenge }, { origin });
    expect((await world.registry.verifySecurityKeySignIn(user.id, wrongCeremony)).ok).toBe(false);
    // Expired.
    world.clock.advance(300_000);
    const stale = key.getAssertion(mine, { origin });
    expect((await world.registry.verifySecurityKeySignIn(user.id, stale)).ok).toBe(false);
    // Another user's key for this user's sign-in.
    world.clock.advance(60_000);
    const request = await world.registry.beginSecurityKeySignIn(user.id);
    const theirs = otherKey.key.getAssertion(
      { ...request, allowCredentials: (await world.registry.beginSecurityKeySignIn(other.id)).allowCredentials },
      { origin },
    );
    expect((await world.registry.verifySecurityKeySignIn(user.id, theirs)).ok).toBe(false);
  });

  it('flags a cloned key: the clone signs in once, the original is then refused and flagged', async () => {
    const { world, user, key, deviceId } = await withKey();
    const clone = key.clone();
    expect((await signInWithSecurityKey(world, user, clone)).ok).toBe(true);
    // The original key's counter did not move with the clone's: its next counter is not above the stored one.
    const refused = await signInWithSecurityKey(world, user, key);
    expect(refused).toMatchObject({ ok: false, reason: 'counter_regression' });
    expect(publicOutcome(refused)).toEqual({ ok: false });
    const [device] = await world.registry.listDevices(user.id);
    expect(device?.kind === 'security-key' && device.flaggedAt).toBe(world.clock.now());
    const audit = await world.registry.listAudit();
    expect(audit.find((record) => record.event === 'security_key_counter_regression')).toMatchObject({
      deviceId,
      outcome: 'fail',
    });
    const report = await world.registry.credentialReport();
    expect(report.rows.find((row) => row.userId === user.id)?.flaggedSecurityKeys).toBe(1);
    // A flagged key is refused from then on, whatever its counter, and offered no more.
    key.resetCounter(1_000_000);
    await expect(signInWithSecurityKey(world, user, key)).rejects.toSatisfy((error) =>
      isMfaError(error, 'no_active_device'),
    );
  });

  it('treats a counter reset as a clone signal too', async () => {
    const { world, user, key } = await withKey();
    expect((await signInWithSecurityKey(world, user, key)).ok).toBe(true);
    expect((await signInWithSecurityKey(world, user, key)).ok).toBe(true);
    key.resetCounter(0);
    expect(await signInWithSecurityKey(world, user, key)).toMatchObject({ ok: false, reason: 'counter_regression' });
  });

  it('throttles and locks security-key sign-in with the same counter as codes', async () => {
    const { world, user, key } = await withKey({ maxFailures: 3, backoffAfterFailures: 100 });
    for (let i = 0; i < 3; i++) {
      expect((await signInWithSecurityKey(world, user, key, { origin: 'https://evil.test' })).ok).toBe(false);
    }
    expect(await signInWithSecurityKey(world, user, key)).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('checks at most backoffAfterFailures of 200 concurrent assertions', async () => {
    const { world, user, key } = await withKey({ backoffAfterFailures: 3 });
    const assertions = [];
    for (let i = 0; i < 200; i++) {
      const request = await world.registry.beginSecurityKeySignIn(user.id);
      assertions.push(key.getAssertion(request, { origin: 'https://evil.test' }));
    }
    const results = await Promise.all(
      assertions.map((assertion) => world.registry.verifySecurityKeySignIn(user.id, assertion)),
    );
    expect(results.filter((result) => !result.ok && result.reason === 'mismatch').length).toBeLessThanOrEqual(3);
    expect(results.filter((result) => !result.ok && result.reason === 'throttled').length).toBeGreaterThanOrEqual(197);
  });

  it('counts keys toward the 8-device limit, and lost-device recovery deactivates them', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Collector', kind: 'root' });
    for (let i = 0; i < 4; i++) await enrollPhone(world, user, { name: `phone ${i}` });
    for (let i = 0; i < 4; i++) await enrollSecurityKey(world, user, { name: `key ${i}` });
    await expect(enrollSecurityKey(world, user)).rejects.toSatisfy((error) => isMfaError(error, 'device_limit'));
    const recovered = await recoverLostDevice(world, user);
    expect(recovered).toMatchObject({ ok: true });
    expect((await world.registry.listDevices(user.id)).every((device) => device.state === 'deactivated')).toBe(true);
  });

  it('lists registered keys in excludeCredentials, refuses a replayed registration and a credential registered twice', async () => {
    const world = createMfaWorld();
    const user = await signUp(world, { name: 'Twice', kind: 'root' });
    // Two keys built from the same random stream hold the same wrapping key and produce the same
    // credential (key handle and public key): the same credential registered twice.
    const seeded = () => {
      let counter = 0;
      return (length: number) => {
        const bytes = new Uint8Array(length);
        for (let i = 0; i < length; i++) bytes[i] = (counter++ * 131 + 7) & 0xff;
        return bytes;
      };
    };
    const original = VirtualSecurityKey.create({ randomBytes: seeded() });
    const twin = VirtualSecurityKey.create({ randomBytes: seeded() });
    const first = await world.registry.beginSecurityKeyRegistration(user.id);
    const response = original.createCredential(first, { origin });
    expect((await world.registry.finishSecurityKeyRegistration(user.id, response, { name: 'first' })).ok).toBe(true);
    expect(await world.registry.finishSecurityKeyRegistration(user.id, response, { name: 'replayed' })).toEqual({
      ok: false,
      reason: 'unknown_challenge',
    });
    const second = await world.registry.beginSecurityKeyRegistration(user.id);
    expect(second.excludeCredentials?.map((credential) => credential.id)).toEqual([response.id]);
    // A client that ignores excludeCredentials.
    const again = twin.createCredential({ ...second, excludeCredentials: [] }, { origin });
    expect(again.id).toBe(response.id);
    expect(await world.registry.finishSecurityKeyRegistration(user.id, again, { name: 'twin' })).toEqual({
      ok: false,
      reason: 'credential_exists',
    });
    expect(await world.registry.listDevices(user.id)).toHaveLength(1);
  });

  it('keeps signatures, challenges and key material out of the audit log; names the credential id', async () => {
    const { store, world, user, key } = await withKey();
    const request = await world.registry.beginSecurityKeySignIn(user.id);
    const assertion = key.getAssertion(request, { origin });
    expect((await world.registry.verifySecurityKeySignIn(user.id, assertion)).ok).toBe(true);
    const auditText = JSON.stringify(await world.registry.listAudit());
    expect(auditText).not.toContain(assertion.response.signature);
    expect(auditText).not.toContain(request.challenge);
    expect(auditText).toContain(assertion.id);
    const stored = inspectMemoryStore(store).snapshot().devices[0] as SecurityKeyRecord;
    expect(String(key)).not.toContain(Buffer.from(stored.publicKey).toString('hex'));
  });

  it('answers hostile responses with a refusal, never a crash, and stores no device', async () => {
    const { store, world, user } = await withKey();
    const hostile: unknown[] = [
      null,
      {},
      { id: 'x'.repeat(5000), rawId: 'x', type: 'public-key', response: {} },
      {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        response: { clientDataJSON: '!!!', authenticatorData: '', signature: '' },
      },
      {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        response: { clientDataJSON: 'x'.repeat(100_000), authenticatorData: 'AA', signature: 'AA' },
      },
    ];
    for (const response of hostile) {
      const result = await world.registry.verifySecurityKeySignIn(user.id, response as never);
      expect(result.ok).toBe(false);
      const registration = await world.registry.finishSecurityKeyRegistration(user.id, response as never, {
        name: 'x',
      });
      expect(registration.ok).toBe(false);
    }
    expect(inspectMemoryStore(store).snapshot().devices).toHaveLength(1);
  });

  it('needs the relying party to be configured', async () => {
    const world = createMfaWorld({ webauthn: undefined as never });
    const user = await signUp(world, { name: 'No RP', kind: 'root' });
    await expect(world.registry.beginSecurityKeyRegistration(user.id)).rejects.toThrow(TypeError);
    const bare = createMfaWorld();
    const other = VirtualSecurityKey.create();
    expect(String(other)).toContain('VirtualSecurityKey');
    await expect(bare.registry.beginSecurityKeySignIn('nobody')).rejects.toSatisfy((error) =>
      isMfaError(error, 'unknown_user'),
    );
  });
});

describe('security keys (raw FIDO U2F, native clients)', () => {
  async function u2fKey(options: Parameters<typeof createMfaWorld>[0] = {}) {
    const world = createMfaWorld(options);
    const user = await signUp(world, { name: 'Native Client', kind: 'root' });
    const key = VirtualSecurityKey.create();
    const request = await world.registry.beginU2fRegistration(user.id);
    expect(request).toMatchObject({ version: 'U2F_V2', appId: origin, registeredKeys: [] });
    const answer = key.u2fRegisterResponse({ appId: request.appId, challenge: request.challenge, origin });
    const registered = await world.registry.finishU2fRegistration(user.id, answer, { name: 'native key' });
    if (!registered.ok) throw new Error(`registration refused: ${registered.reason}`);
    return { world, user, key, deviceId: registered.deviceId };
  }

  async function signInU2f(
    world: Awaited<ReturnType<typeof u2fKey>>['world'],
    userId: string,
    key: VirtualSecurityKey,
    options: { userPresent?: boolean; origin?: string } = {},
  ) {
    const request = await world.registry.beginU2fSignIn(userId);
    const registeredKey = request.registeredKeys[0];
    if (registeredKey === undefined) throw new Error('no key offered');
    const keyHandle = base64UrlDecode(registeredKey.keyHandle) as Uint8Array;
    const { answer, clientData } = key.u2fSignResponse({
      appId: request.appId,
      challenge: request.challenge,
      origin: options.origin ?? origin,
      keyHandle,
      ...(options.userPresent === undefined ? {} : { userPresent: options.userPresent }),
    });
    if (!answer.ok) throw new Error('the key refused');
    return world.registry.verifyU2fSignIn(userId, { keyHandle, signatureData: answer.response, clientData });
  }

  it('registers a key from its raw registration message and signs in with raw authentication messages', async () => {
    const { world, user, key, deviceId } = await u2fKey();
    const [device] = await world.registry.listDevices(user.id);
    expect(device).toMatchObject({ id: deviceId, kind: 'security-key', attestationFormat: 'fido-u2f', aaguid: null });
    expect(await signInU2f(world, user.id, key)).toMatchObject({ ok: true, deviceId, deviceKind: 'security-key' });
    expect((await signInU2f(world, user.id, key)).ok).toBe(true);
    expect((await world.registry.beginU2fRegistration(user.id)).registeredKeys).toHaveLength(1);
  });

  it('refuses no user presence and a wrong origin, and flags a clone', async () => {
    const { world, user, key } = await u2fKey();
    expect(await signInU2f(world, user.id, key, { userPresent: false })).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(await signInU2f(world, user.id, key, { origin: 'https://evil.test' })).toMatchObject({ ok: false });
    const clone = key.clone();
    expect((await signInU2f(world, user.id, clone)).ok).toBe(true);
    expect(await signInU2f(world, user.id, key)).toMatchObject({ ok: false, reason: 'counter_regression' });
    await expect(signInU2f(world, user.id, key)).rejects.toSatisfy((error) => isMfaError(error, 'no_active_device'));
  });

  it('judges a counter against the one at challenge time: out of order is no clone, a late clone is', async () => {
    const { world, user, key, deviceId } = await u2fKey({ backoffAfterFailures: 100, maxFailures: 100 });
    const answer = async (signer: VirtualSecurityKey) => {
      const request = await world.registry.beginU2fSignIn(user.id);
      const keyHandle = base64UrlDecode(request.registeredKeys[0]?.keyHandle as string) as Uint8Array;
      const signed = signer.u2fSignResponse({ appId: request.appId, challenge: request.challenge, origin, keyHandle });
      if (!signed.answer.ok) throw new Error('the key refused');
      return { keyHandle, signatureData: signed.answer.response, clientData: signed.clientData };
    };
    const clone = key.clone();
    const first = await answer(key);
    const second = await answer(key);
    expect((await world.registry.verifyU2fSignIn(user.id, second)).ok).toBe(true);
    expect(await world.registry.verifyU2fSignIn(user.id, first)).toMatchObject({
      ok: false,
      reason: 'replayed',
      failureCount: 0,
    });
    const stored = (await world.store.devices.get(deviceId)) as SecurityKeyRecord;
    expect(stored).toMatchObject({ signCount: 2, flaggedAt: null });
    // The clone (counter 1) answers a challenge issued once 2 was stored.
    expect(await world.registry.verifyU2fSignIn(user.id, await answer(clone))).toMatchObject({
      ok: false,
      reason: 'counter_regression',
    });
  });

  it('refuses a replayed registration and hostile messages without storing anything', async () => {
    const { world, user, key } = await u2fKey();
    const request = await world.registry.beginU2fRegistration(user.id);
    const answer = key.u2fRegisterResponse({ appId: request.appId, challenge: request.challenge, origin });
    expect((await world.registry.finishU2fRegistration(user.id, answer, { name: 'second' })).ok).toBe(true);
    expect(await world.registry.finishU2fRegistration(user.id, answer, { name: 'third' })).toEqual({
      ok: false,
      reason: 'unknown_challenge',
    });
    const fresh = await world.registry.beginU2fRegistration(user.id);
    const good = key.u2fRegisterResponse({ appId: fresh.appId, challenge: fresh.challenge, origin });
    const truncated = { ...good, registrationData: good.registrationData.subarray(0, 40) };
    expect(await world.registry.finishU2fRegistration(user.id, truncated, { name: 'cut' })).toEqual({
      ok: false,
      reason: 'u2f_malformed_message',
    });
    for (const hostile of [null, {}, { keyHandle: 'x', signatureData: 1, clientData: [] }]) {
      expect((await world.registry.verifyU2fSignIn(user.id, hostile as never)).ok).toBe(false);
    }
    expect(await world.registry.listDevices(user.id)).toHaveLength(2);
  });
});
