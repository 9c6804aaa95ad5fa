/**
 * Property tests (fast-check, ≥ 10 000 runs per parser): whatever the bytes, the parsers answer
 * with a typed refusal — never another exception, never an acceptance of altered input — and the
 * encoders round-trip. Runs that would reach the (slow, pure-JS) signature check use a wrong
 * challenge, which is checked just before it; smaller runs with the right challenge check that no
 * alteration of a signed message is accepted.
 */
import {
  applicationParameter,
  base64UrlDecode,
  base64UrlEncode,
  KEY_HANDLE_BYTES,
  U2F_ERROR_CODES,
  VirtualSecurityKey,
  verifyU2fAuthentication,
  verifyU2fRegistration,
} from '@mfakit/u2f';
import { verifySecurityKeyAssertion, verifySecurityKeyRegistration, WEBAUTHN_ERROR_CODES } from '@mfakit/u2f/webauthn';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readAttestationCertificate } from '../src/attestation-certificate.js';
import { encodeDerSignature, P256_ORDER, parseDerSignature } from '../src/ecdsa-signature.js';
import { fromHex, utf8 } from './support/hex.js';
import {
  authenticationMessage,
  authenticationOptions,
  registrationMessage,
  registrationOptions,
} from './support/spec-messages.js';
import recorded from './vectors/recorded-ceremonies.json' with { type: 'json' };
import vectors from './vectors/u2f-spec-examples.json' with { type: 'json' };

const RUNS = 10_000;
/** The WebAuthn properties verify signatures: ~6 s alone, several times that on a loaded 2-core machine (one failed at 30 s). */
const SLOW_PROPERTY_MS = 180_000;

type Edit = [position: number, value: number, kind: 'set' | 'insert' | 'delete'];
const edits = fc.array(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')),
  {
    minLength: 1,
    maxLength: 4,
  },
) as fc.Arbitrary<Edit[]>;

function mutate(original: Uint8Array, changes: readonly Edit[]): Uint8Array {
  const bytes = [...original];
  for (const [position, value, kind] of changes) {
    const at = bytes.length === 0 ? 0 : position % (bytes.length + (kind === 'insert' ? 1 : 0));
    if (kind === 'set' && bytes.length > 0) bytes[at] = value;
    else if (kind === 'insert') bytes.splice(at, 0, value);
    else bytes.splice(at, 1);
  }
  return Uint8Array.from(bytes);
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

function registrationOutcome(message: Uint8Array, options = registrationOptions): string {
  try {
    verifyU2fRegistration(message, options);
    return 'accepted';
  } catch (error) {
    if ((error as { name?: string }).name !== 'MfaError') throw error;
    return (error as { code: string }).code;
  }
}

const wrongChallenge = { challenge: 'd3Jvbmc' };
const u2fCodes: readonly string[] = U2F_ERROR_CODES;
const inputs = (original: Uint8Array) =>
  fc.oneof(
    fc.uint8Array({ maxLength: 1200 }),
    edits.map((changes) => mutate(original, changes)),
  );

describe('verifyU2fRegistration', () => {
  test(`any bytes: a typed refusal, never another exception (${RUNS} runs)`, () => {
    const original = registrationMessage();
    fc.assert(
      fc.property(inputs(original), (message) => {
        expect(u2fCodes).toContain(registrationOutcome(message, { ...registrationOptions, ...wrongChallenge }));
      }),
      { numRuns: RUNS },
    );
  });

  test('with the right challenge, an alteration is refused or leaves what is stored unchanged (300 runs)', () => {
    // The signature covers the key handle and public key, not the attestation certificate (§4.3):
    // bytes of the certificate outside its key may change unnoticed; its chain is the caller's to check.
    const original = registrationMessage();
    const stored = verifyU2fRegistration(original, registrationOptions);
    fc.assert(
      fc.property(edits, (changes) => {
        const message = mutate(original, changes);
        if (registrationOutcome(message) !== 'accepted') return;
        const result = verifyU2fRegistration(message, registrationOptions);
        expect(result.keyHandle).toEqual(stored.keyHandle);
        expect(result.publicKey).toEqual(stored.publicKey);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifyU2fAuthentication', () => {
  test(`any bytes: a typed refusal, never another exception (${RUNS} runs)`, () => {
    const original = authenticationMessage();
    fc.assert(
      fc.property(inputs(original), (message) => {
        const result = verifyU2fAuthentication(message, { ...authenticationOptions, ...wrongChallenge });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(u2fCodes).toContain(result.reason);
      }),
      { numRuns: RUNS },
    );
  });

  test('no alteration of the example is accepted with the right challenge (300 runs)', () => {
    const original = authenticationMessage();
    fc.assert(
      fc.property(edits, (changes) => {
        const message = mutate(original, changes);
        if (!sameBytes(message, original))
          expect(verifyU2fAuthentication(message, authenticationOptions).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test(`client data: any JSON text gives a refusal code, never an exception (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc
            .record({ typ: fc.string(), challenge: fc.string(), origin: fc.string(), extra: fc.anything() })
            .map((value) => JSON.stringify(value)),
        ),
        (text) => {
          const result = verifyU2fAuthentication(authenticationMessage(), {
            ...authenticationOptions,
            clientData: utf8(text),
          });
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('DER signatures', () => {
  test(`any bytes: parsed only when canonical — re-encoding gives the same bytes (${RUNS} runs)`, () => {
    const valid = authenticationMessage().subarray(5);
    fc.assert(
      fc.property(inputs(valid), (bytes) => {
        const parsed = parseDerSignature(bytes, { requireLowS: false });
        if (typeof parsed !== 'string') expect(sameBytes(encodeDerSignature(parsed.compact), bytes)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  test(`any r, s in [1, n − 1] round-trips through DER (${RUNS} runs)`, () => {
    const scalar = fc.bigInt({ min: 1n, max: P256_ORDER - 1n });
    fc.assert(
      fc.property(scalar, scalar, (r, s) => {
        const compact = fromHex(r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0'));
        const parsed = parseDerSignature(encodeDerSignature(compact), { requireLowS: false });
        expect(parsed).toMatchObject({ r, s });
      }),
      { numRuns: RUNS },
    );
  });
});

test(`attestation certificates: any alteration is read or refused, never an exception (${RUNS} runs)`, () => {
  const certificate = fromHex(vectors.registration.attestationCertificateHex);
  fc.assert(
    fc.property(inputs(certificate), (bytes) => {
      const read = readAttestationCertificate(bytes, 0);
      if (read !== undefined) expect(read.publicKey).toHaveLength(65);
    }),
    { numRuns: RUNS },
  );
});

test(`base64url: round trip, and only canonical text decodes (${RUNS} runs each)`, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(base64UrlDecode(base64UrlEncode(bytes))).toEqual(bytes);
    }),
    { numRuns: RUNS },
  );
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'AQgw_-=+/ .Zz09'.split('')), maxLength: 24 }), (text) => {
      const decoded = base64UrlDecode(text);
      if (decoded !== undefined) expect(base64UrlEncode(decoded)).toBe(text.replace(/=+$/, ''));
    }),
    { numRuns: RUNS },
  );
});

describe('@mfakit/u2f/webauthn', () => {
  const assertion = recorded.assertions[0] as (typeof recorded.assertions)[0];
  const registration = recorded.registrations[0] as (typeof recorded.registrations)[0];
  const webauthnCodes: readonly string[] = WEBAUTHN_ERROR_CODES;
  const field = (value: string) =>
    fc.oneof(
      fc.constant(value),
      fc.string({ maxLength: 40 }),
      edits.map((changes) => base64UrlEncode(mutate(base64UrlDecode(value) ?? new Uint8Array(), changes))),
      fc.anything(),
    );

  test(
    `assertions: any fields give a typed refusal (${RUNS} runs)`,
    async () => {
      const expected = {
        challenge: assertion.challenge,
        origin: assertion.origin,
        rpId: assertion.rpId,
        credential: {
          ...assertion.credential,
          publicKey: base64UrlDecode(assertion.credential.publicKey) as Uint8Array,
        },
      };
      const { response } = assertion;
      await fc.assert(
        fc.asyncProperty(
          field(response.id),
          field(response.response.clientDataJSON),
          field(response.response.authenticatorData),
          field(response.response.signature),
          async (id, clientDataJSON, authenticatorData, signature) => {
            const candidate = {
              ...response,
              id,
              rawId: id,
              response: { clientDataJSON, authenticatorData, signature },
            };
            const result = await verifySecurityKeyAssertion(candidate as typeof response, expected);
            // Same bytes (a field may come back unpadded) means the recorded, valid response.
            const same = (a: unknown, b: string) =>
              typeof a === 'string' &&
              sameBytes(base64UrlDecode(a) ?? Uint8Array.of(1), base64UrlDecode(b) ?? Uint8Array.of(2));
            const unchanged =
              id === response.id &&
              same(clientDataJSON, response.response.clientDataJSON) &&
              same(authenticatorData, response.response.authenticatorData) &&
              same(signature, response.response.signature);
            if (!unchanged) {
              expect(result.ok).toBe(false);
              if (!result.ok) expect(webauthnCodes).toContain(result.reason);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    SLOW_PROPERTY_MS,
  );

  test(
    `registrations: any fields give a typed refusal (${RUNS} runs)`,
    async () => {
      const expected = { challenge: registration.challenge, origin: registration.origin, rpId: registration.rpId };
      const { response } = registration;
      await fc.assert(
        fc.asyncProperty(
          field(response.response.clientDataJSON),
          field(response.response.attestationObject),
          async (clientDataJSON, attestationObject) => {
            const candidate = { ...response, response: { ...response.response, clientDataJSON, attestationObject } };
            try {
              // An altered attestation certificate (outside its key) is covered by no signature: what is stored must be unchanged.
              const credential = await verifySecurityKeyRegistration(candidate as typeof response, expected);
              expect(base64UrlEncode(credential.publicKey)).toBe(registration.expect.publicKey);
              expect(credential.id).toBe(registration.expect.id);
            } catch (error) {
              expect(error).toMatchObject({ name: 'MfaError' });
              expect(webauthnCodes).toContain((error as { code: string }).code);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    SLOW_PROPERTY_MS,
  );
});

describe('VirtualSecurityKey', () => {
  const key = VirtualSecurityKey.create();
  const state = key.toJSON();

  test(`fromJSON: any damaged state is a TypeError or a working key, nothing else (${RUNS} runs)`, () => {
    const damaged = fc.oneof(
      fc.anything(),
      fc.record({
        format: fc.oneof(fc.constant(state.format), fc.string()),
        version: fc.oneof(fc.constant(1), fc.anything()),
        wrappingKey: fc.oneof(fc.constant(state.wrappingKey), fc.string({ maxLength: 50 }), fc.anything()),
        attestationKey: fc.oneof(fc.constant(state.attestationKey), fc.string({ maxLength: 50 })),
        attestationCertificate: fc.oneof(fc.constant(state.attestationCertificate), fc.string({ maxLength: 8 })),
        aaguid: fc.oneof(fc.constant(state.aaguid), fc.string({ maxLength: 30 })),
        counter: fc.oneof(fc.constant(state.counter), fc.double(), fc.integer()),
      }),
    );
    fc.assert(
      fc.property(damaged, (candidate) => {
        try {
          expect(VirtualSecurityKey.fromJSON(candidate as never).toJSON().format).toBe(state.format);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test(`authenticate: any key handle but its own answers 0x6A80 and signs nothing (${RUNS} runs)`, () => {
    const { registrationData } = key.u2fRegisterResponse({
      appId: 'https://example.com',
      challenge: 'AAAA',
      origin: 'x',
    });
    const own = registrationData.subarray(67, 67 + KEY_HANDLE_BYTES);
    const appParam = applicationParameter('https://example.com');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 80 }),
          edits.map((changes) => mutate(own, changes)),
        ),
        (handle) => {
          if (sameBytes(handle, own)) return;
          expect(key.authenticate(new Uint8Array(32), appParam, handle)).toMatchObject({
            ok: false,
            statusWord: 0x6a80,
          });
        },
      ),
      { numRuns: RUNS },
    );
    expect(key.counter).toBe(0);
  });
});
