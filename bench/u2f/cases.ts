/**
 * @module
 * The u2f benchmark's cases, each over a pool of 8 security keys (one credential each) so that
 * no case verifies the same key and message over and over:
 *
 * - `verifyU2fAuthentication`: @mfakit/u2f's raw U2F sign-in check (client data JSON, strict DER,
 *   P-256 ECDSA in pure JS via @noble/curves) of a response the virtual key made;
 * - `verifyU2fAuthentication + nodeP256Verify`: the same with `verifyP256: nodeP256Verify` from
 *   `@mfakit/u2f/node` (OpenSSL does the ECDSA);
 * - `node:crypto verify`: the same signatures over the same bytes checked by OpenSSL
 *   (`crypto.verify('sha256', …)`, key objects made once), the baseline of the ECDSA cost alone;
 * - `verifyU2fRegistration`: a raw registration (certificate parse + one ECDSA verify);
 * - `verifySecurityKeyAssertion`: `@mfakit/u2f/webauthn`, the WebAuthn path (typed checks, then
 *   @simplewebauthn/server, which verifies with WebCrypto);
 * - `VirtualSecurityKey.authenticate`: a raw U2F assertion by the virtual key (AES-GCM unwrap of
 *   the key handle, counter, P-256 signature);
 * - `VirtualSecurityKey.getAssertion`: a WebAuthn assertion (the same, plus client data and JSON).
 *
 * Every answer is checked while timing: each case returns how many operations were right.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  applicationParameter,
  type PublicKeyCredentialRequestOptionsJSON,
  VirtualSecurityKey,
  verifyU2fAuthentication,
  verifyU2fRegistration,
} from '@mfakit/u2f';
import { nodeP256Verify } from '@mfakit/u2f/node';
import {
  type AuthenticationResponseLike,
  verifySecurityKeyAssertion,
  verifySecurityKeyRegistration,
} from '@mfakit/u2f/webauthn';
import { sha256 } from '@noble/hashes/sha2.js';

export const U2F_CASES = [
  'verifyU2fAuthentication',
  'verifyU2fAuthentication + nodeP256Verify',
  'node:crypto verify',
  'verifyU2fRegistration',
  'verifySecurityKeyAssertion',
  'VirtualSecurityKey.authenticate',
  'VirtualSecurityKey.getAssertion',
] as const;
export type U2fCaseName = (typeof U2F_CASES)[number];

export interface U2fCase {
  readonly name: U2fCaseName;
  /** Runs `iterations` operations and returns how many answered right. */
  run(iterations: number): number | Promise<number>;
}

const POOL = 8;
const MASK = POOL - 1;
const appId = 'https://example.com';
const origin = 'https://example.com';
const challenge = 'YmVuY2htYXJr';
const SPKI_P256_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

interface Enrolled {
  key: VirtualSecurityKey;
  keyHandle: Uint8Array;
  publicKey: Uint8Array;
  registrationData: Uint8Array;
  registrationClientData: Uint8Array;
  signResponse: Uint8Array;
  signClientData: Uint8Array;
}

function enroll(): Enrolled {
  const key = VirtualSecurityKey.create();
  const { registrationData, clientData: registrationClientData } = key.u2fRegisterResponse({
    appId,
    challenge,
    origin,
  });
  const { keyHandle, publicKey } = verifyU2fRegistration(registrationData, {
    appId,
    clientData: registrationClientData,
    challenge,
    origin,
  });
  const { answer, clientData: signClientData } = key.u2fSignResponse({ appId, challenge, origin, keyHandle });
  if (!answer.ok) throw new Error('the virtual key refused its own key handle');
  return {
    key,
    keyHandle,
    publicKey,
    registrationData,
    registrationClientData,
    signResponse: answer.response,
    signClientData,
  };
}

export async function createU2fCases(): Promise<U2fCase[]> {
  const pool = Array.from({ length: POOL }, enroll);
  const appParam = applicationParameter(appId);
  const challengeParam = sha256(pool[0]?.signClientData ?? new Uint8Array());

  // node:crypto gets exactly the bytes our verifier hashes and checks.
  const nodeInputs = pool.map((entry) => ({
    key: createPublicKey({ key: Buffer.concat([SPKI_P256_PREFIX, entry.publicKey]), format: 'der', type: 'spki' }),
    signed: Buffer.concat([appParam, entry.signResponse.subarray(0, 5), sha256(entry.signClientData)]),
    signature: Buffer.from(entry.signResponse.subarray(5)),
  }));

  // WebAuthn: one more credential per key, registered through a WebAuthn ceremony, and one assertion each to verify.
  const rpId = 'example.com';
  const webauthn = await Promise.all(
    pool.map(async (entry) => {
      const creation = {
        rp: { id: rpId, name: 'Example' },
        user: { id: 'dXNlcg', name: 'user', displayName: 'User' },
        challenge,
        pubKeyCredParams: [{ alg: -7, type: 'public-key' }],
      };
      const stored = await verifySecurityKeyRegistration(entry.key.createCredential(creation, { origin }), {
        challenge,
        origin,
        rpId,
      });
      const options: PublicKeyCredentialRequestOptionsJSON = {
        challenge,
        rpId,
        allowCredentials: [{ id: stored.id, type: 'public-key' }],
      };
      const response = entry.key.getAssertion(options, { origin });
      const expected = { challenge, origin, rpId, credential: { ...stored, signCount: 0 } };
      if (!(await verifySecurityKeyAssertion(response, expected)).ok) throw new Error('webauthn assertion refused');
      return { options, response: response as AuthenticationResponseLike, expected };
    }),
  );

  const entry = (i: number) => pool[i & MASK] as Enrolled;
  return [
    {
      name: 'verifyU2fAuthentication',
      run(iterations) {
        let right = 0;
        for (let i = 0; i < iterations; i++) {
          const e = entry(i);
          const result = verifyU2fAuthentication(e.signResponse, {
            appId,
            clientData: e.signClientData,
            challenge,
            origin,
            credential: { publicKey: e.publicKey },
          });
          if (result.ok) right++;
        }
        return right;
      },
    },
    {
      name: 'verifyU2fAuthentication + nodeP256Verify',
      run(iterations) {
        let right = 0;
        for (let i = 0; i < iterations; i++) {
          const e = entry(i);
          const result = verifyU2fAuthentication(e.signResponse, {
            appId,
            clientData: e.signClientData,
            challenge,
            origin,
            credential: { publicKey: e.publicKey },
            verifyP256: nodeP256Verify,
          });
          if (result.ok) right++;
        }
        return right;
      },
    },
    {
      name: 'node:crypto verify',
      run(iterations) {
        let right = 0;
        for (let i = 0; i < iterations; i++) {
          const input = nodeInputs[i & MASK] as { key: KeyObject; signed: Buffer; signature: Buffer };
          if (verify('sha256', input.signed, { key: input.key, dsaEncoding: 'der' }, input.signature)) right++;
        }
        return right;
      },
    },
    {
      name: 'verifyU2fRegistration',
      run(iterations) {
        let right = 0;
        for (let i = 0; i < iterations; i++) {
          const e = entry(i);
          const result = verifyU2fRegistration(e.registrationData, {
            appId,
            clientData: e.registrationClientData,
            challenge,
            origin,
          });
          if (result.keyHandle.length === e.keyHandle.length) right++;
        }
        return right;
      },
    },
    {
      name: 'verifySecurityKeyAssertion',
      async run(iterations) {
        let right = 0;
        for (let i = 0; i < iterations; i++) {
          const w = webauthn[i & MASK] as (typeof webauthn)[number];
          if ((await verifySecurityKeyAssertion(w.response, w.expected)).ok) right++;
        }
        return right;
      },
    },
    {
      name: 'VirtualSecurityKey.authenticate',
      run(iterations) {
        let right = 0;
        for (let i = 0; i < iterations; i++) {
          const e = entry(i);
          if (e.key.authenticate(challengeParam, appParam, e.keyHandle).ok) right++;
        }
        return right;
      },
    },
    {
      name: 'VirtualSecurityKey.getAssertion',
      run(iterations) {
        let right = 0;
        for (let i = 0; i < iterations; i++) {
          const w = webauthn[i & MASK] as (typeof webauthn)[number];
          if (entry(i).key.getAssertion(w.options, { origin }).id === w.response.id) right++;
        }
        return right;
      },
    },
  ];
}
