/**
 * The virtual key's raw U2F answers (Raw Message Formats §4, §5) verify with our verifiers and
 * with node:crypto; key handles are bound to their application; the state survives a round trip
 * and never prints its secrets.
 */

import { X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import {
  applicationParameter,
  base64UrlEncode,
  KEY_HANDLE_BYTES,
  SW_CONDITIONS_NOT_SATISFIED,
  SW_WRONG_DATA,
  VirtualSecurityKey,
  verifyU2fAuthentication,
  verifyU2fRegistration,
} from '@mfakit/u2f';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, test } from 'vitest';
import { nodeVerifyP256 } from './support/node-ecdsa.js';

const appId = 'https://example.com';
const origin = 'https://example.com';

function enroll(key: VirtualSecurityKey) {
  const { registrationData, clientData } = key.u2fRegisterResponse({ appId, challenge: 'cmVnaXN0ZXI', origin });
  return verifyU2fRegistration(registrationData, { appId, clientData, challenge: 'cmVnaXN0ZXI', origin });
}

describe('raw U2F', () => {
  test('a registration verifies; its certificate is a self-signed X.509 certificate node:crypto accepts', () => {
    const key = VirtualSecurityKey.create();
    const registration = enroll(key);
    expect(registration.keyHandle).toHaveLength(KEY_HANDLE_BYTES);
    expect(registration.publicKey).toHaveLength(65);
    const certificate = new X509Certificate(registration.attestationCertificate);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.subject).toContain('OU=Authenticator Attestation');
    expect(certificate.ca).toBe(false);
    expect(Buffer.from(registration.attestationCertificate)).toEqual(Buffer.from(key.attestationCertificate));
  });

  test('sign-ins verify (ours and node:crypto), the counter grows, userPresent: false is a fault the verifier sees', () => {
    const key = VirtualSecurityKey.create();
    const { keyHandle, publicKey } = enroll(key);
    for (let counter = 1; counter <= 3; counter++) {
      const challenge = base64UrlEncode(Uint8Array.of(counter, 1, 2, 3));
      const { answer, clientData } = key.u2fSignResponse({ appId, challenge, origin, keyHandle });
      if (!answer.ok) throw new Error('refused');
      const result = verifyU2fAuthentication(answer.response, {
        appId,
        clientData,
        challenge,
        origin,
        credential: { publicKey },
      });
      expect(result).toEqual({ ok: true, counter, userPresent: true });
      const signed = new Uint8Array([
        ...applicationParameter(appId),
        ...answer.response.subarray(0, 5),
        ...sha256(clientData),
      ]);
      expect(nodeVerifyP256(publicKey, signed, answer.response.subarray(5))).toBe(true);
    }
    const { answer, clientData } = key.u2fSignResponse({
      appId,
      challenge: 'AAAA',
      origin,
      keyHandle,
      userPresent: false,
    });
    if (!answer.ok) throw new Error('refused');
    const options = { appId, clientData, challenge: 'AAAA', origin, credential: { publicKey } };
    expect(verifyU2fAuthentication(answer.response, options)).toEqual({ ok: false, reason: 'u2f_user_not_present' });
    expect(verifyU2fAuthentication(answer.response, { ...options, requireUserPresence: false })).toEqual({
      ok: true,
      counter: 4,
      userPresent: false,
    });
  });

  test('another app id, another key, or an altered handle: status 0x6A80 wrong data, and no counter step', () => {
    const key = VirtualSecurityKey.create();
    const { keyHandle } = enroll(key);
    const challengeParam = new Uint8Array(32);
    const wrongData = { ok: false, statusWord: SW_WRONG_DATA, reason: 'wrong_data' };
    expect(key.authenticate(challengeParam, applicationParameter('https://evil.example'), keyHandle)).toEqual(
      wrongData,
    );
    expect(VirtualSecurityKey.create().authenticate(challengeParam, applicationParameter(appId), keyHandle)).toEqual(
      wrongData,
    );
    for (let i = 0; i < keyHandle.length; i += 7) {
      const altered = keyHandle.slice();
      altered[i] = (altered[i] as number) ^ 0x80;
      expect(key.authenticate(challengeParam, applicationParameter(appId), altered)).toEqual(wrongData);
    }
    expect(key.authenticate(challengeParam, applicationParameter(appId), keyHandle.subarray(1))).toEqual(wrongData);
    expect(key.counter).toBe(0);
  });

  test('check-only (§5.1, 0x07): 0x6985 for its own handle and app, 0x6A80 otherwise; no counter step', () => {
    const key = VirtualSecurityKey.create();
    const { keyHandle } = enroll(key);
    expect(key.checkOnly(applicationParameter(appId), keyHandle)).toBe(SW_CONDITIONS_NOT_SATISFIED);
    expect(key.checkOnly(applicationParameter('https://evil.example'), keyHandle)).toBe(SW_WRONG_DATA);
    expect(VirtualSecurityKey.create().checkOnly(applicationParameter(appId), keyHandle)).toBe(SW_WRONG_DATA);
    expect(key.counter).toBe(0);
  });

  test('argument checks name the argument', () => {
    const key = VirtualSecurityKey.create();
    expect(() => key.register(new Uint8Array(31), new Uint8Array(32))).toThrow(/challengeParam/);
    expect(() => key.authenticate(new Uint8Array(32), new Uint8Array(32), 'handle' as never)).toThrow(TypeError);
  });
});

describe('state', () => {
  test('toJSON / fromJSON keeps the counter and the credentials; a clone shares the counter stream', () => {
    const key = VirtualSecurityKey.create();
    const { keyHandle } = enroll(key);
    const appParam = applicationParameter(appId);
    key.authenticate(new Uint8Array(32), appParam, keyHandle);
    const restored = VirtualSecurityKey.fromJSON(JSON.parse(JSON.stringify(key)));
    expect(restored.counter).toBe(1);
    const clone = restored.clone();
    const a = restored.authenticate(new Uint8Array(32), appParam, keyHandle);
    const b = clone.authenticate(new Uint8Array(32), appParam, keyHandle);
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(a.response.subarray(0, 5)).toEqual(b.response.subarray(0, 5));
    expect(restored.resetCounter().counter).toBe(0);
  });

  test('fromJSON refuses damaged state with a TypeError', () => {
    const state = VirtualSecurityKey.create().toJSON();
    expect(() => VirtualSecurityKey.fromJSON({ ...state, counter: -1 })).toThrow(TypeError);
    expect(() => VirtualSecurityKey.fromJSON({ ...state, wrappingKey: 'AAAA' })).toThrow(/wrappingKey/);
    expect(() =>
      VirtualSecurityKey.fromJSON({ ...state, attestationKey: base64UrlEncode(new Uint8Array(32)) }),
    ).toThrow(/attestationKey/);
    expect(() => VirtualSecurityKey.fromJSON({ ...state, version: 2 } as never)).toThrow(TypeError);
  });

  test('String() and inspect() never show the secrets (canary: the saved key material)', () => {
    const key = VirtualSecurityKey.create();
    const { wrappingKey, attestationKey } = key.toJSON();
    const shown = [String(key), inspect(key), inspect({ nested: { key } }, { depth: 5 }), `${key}`];
    for (const text of shown) {
      expect(text).toContain('VirtualSecurityKey');
      expect(text).not.toContain(wrappingKey);
      expect(text).not.toContain(attestationKey);
    }
    // The positive control: the canaries are what toJSON (explicit serialisation) does carry.
    expect(JSON.stringify(key)).toContain(wrappingKey);
  });

  test('randomBytes can be injected: the same source gives the same key', () => {
    const seeded = () => {
      let next = 7;
      return (length: number) => Uint8Array.from({ length }, () => (next = (next * 31 + 11) & 0xff));
    };
    const a = VirtualSecurityKey.create({ randomBytes: seeded() });
    const b = VirtualSecurityKey.create({ randomBytes: seeded() });
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.register(new Uint8Array(32), new Uint8Array(32))).toEqual(
      b.register(new Uint8Array(32), new Uint8Array(32)),
    );
  });
});
