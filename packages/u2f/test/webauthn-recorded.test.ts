/**
 * `@mfakit/u2f/webauthn` replays ceremonies recorded from real authenticators (public test data,
 * see vectors/recorded-ceremonies.json: each entry names its repository, commit and test), and
 * refuses each kind of bad response with its typed reason.
 */
import { base64UrlDecode, base64UrlEncode } from '@mfakit/u2f';
import { verifySecurityKeyAssertion, verifySecurityKeyRegistration } from '@mfakit/u2f/webauthn';
import { decodeAttestationObject } from '@simplewebauthn/server/helpers';
import { describe, expect, test } from 'vitest';
import { type CborMap, encodeCbor } from '../src/cbor.js';
import recorded from './vectors/recorded-ceremonies.json' with { type: 'json' };

const bytes = (text: string): Uint8Array => {
  const decoded = base64UrlDecode(text);
  if (decoded === undefined) throw new Error('bad base64url in fixture');
  return decoded;
};

/** Replaces a field of the base64url clientDataJSON, re-encoded. */
function withClientData<T extends { response: { clientDataJSON: string } }>(
  response: T,
  change: Record<string, unknown>,
): T {
  const clientData = JSON.parse(new TextDecoder().decode(bytes(response.response.clientDataJSON)));
  const clientDataJSON = base64UrlEncode(new TextEncoder().encode(JSON.stringify({ ...clientData, ...change })));
  return { ...response, response: { ...response.response, clientDataJSON } };
}

describe.each(recorded.registrations)('registration: $name', (fixture) => {
  const expected = { challenge: fixture.challenge, origin: fixture.origin, rpId: fixture.rpId };

  test('verifies, and returns the credential to store', async () => {
    const credential = await verifySecurityKeyRegistration(fixture.response, expected);
    expect(credential.attestationFormat).toBe(fixture.expect.attestationFormat);
    expect(credential.id).toBe(fixture.expect.id);
    if ('signCount' in fixture.expect) expect(credential.signCount).toBe(fixture.expect.signCount);
    if ('publicKey' in fixture.expect) expect(base64UrlEncode(credential.publicKey)).toBe(fixture.expect.publicKey);
    if ('aaguid' in fixture.expect) expect(credential.aaguid).toBe(fixture.expect.aaguid);
  });

  test('another challenge, origin, RP ID or ceremony type is refused with its reason', async () => {
    const refused = (code: string) => expect.objectContaining({ name: 'MfaError', code });
    await expect(
      verifySecurityKeyRegistration(fixture.response, { ...expected, challenge: 'b3RoZXI' }),
    ).rejects.toThrow(refused('webauthn_wrong_challenge'));
    await expect(
      verifySecurityKeyRegistration(fixture.response, { ...expected, origin: 'https://evil.example' }),
    ).rejects.toThrow(refused('webauthn_wrong_origin'));
    await expect(
      verifySecurityKeyRegistration(fixture.response, { ...expected, rpId: 'evil.example' }),
    ).rejects.toThrow(refused('webauthn_wrong_rp_id'));
    await expect(
      verifySecurityKeyRegistration(withClientData(fixture.response, { type: 'webauthn.get' }), expected),
    ).rejects.toThrow(refused('webauthn_wrong_type'));
    await expect(
      verifySecurityKeyRegistration(fixture.response, { ...expected, attestationFormats: ['tpm'] }),
    ).rejects.toThrow(refused('webauthn_unsupported_attestation'));
  });

  test('client data altered after signing (same challenge, extra member) is refused as bad attestation', async () => {
    if (fixture.expect.attestationFormat === 'none') return; // nothing signs a `none` registration
    await expect(
      verifySecurityKeyRegistration(withClientData(fixture.response, { extra: 1 }), expected),
    ).rejects.toThrow(expect.objectContaining({ code: 'webauthn_bad_attestation' }));
  });
});

/** The registration with its attestation statement's `sig` changed by `change`, re-encoded. */
function withAttestationSignature<T extends { response: { attestationObject: string } }>(
  response: T,
  change: (sig: Uint8Array) => Uint8Array,
): T {
  const decoded = decodeAttestationObject(new Uint8Array(bytes(response.response.attestationObject)));
  const statement = new Map(decoded.get('attStmt') as unknown as Map<string, Uint8Array>);
  statement.set('sig', change(statement.get('sig') as Uint8Array));
  const object = new Map<string, unknown>([
    ['fmt', decoded.get('fmt')],
    ['attStmt', statement],
    ['authData', decoded.get('authData')],
  ]);
  const attestationObject = base64UrlEncode(encodeCbor(object as CborMap));
  return { ...response, response: { ...response.response, attestationObject } };
}

test('an ES256 attestation signature followed by extra bytes is refused (the re-encoding alone is accepted)', async () => {
  for (const fixture of recorded.registrations.filter((entry) => entry.expect.attestationFormat !== 'none')) {
    const expected = { challenge: fixture.challenge, origin: fixture.origin, rpId: fixture.rpId };
    const same = withAttestationSignature(fixture.response, (sig) => sig);
    expect((await verifySecurityKeyRegistration(same, expected)).id, fixture.name).toBe(fixture.expect.id);
    const padded = withAttestationSignature(fixture.response, (sig) => new Uint8Array([...sig, 0]));
    await expect(verifySecurityKeyRegistration(padded, expected), fixture.name).rejects.toThrow(
      expect.objectContaining({ code: 'webauthn_bad_attestation' }),
    );
  }
});

describe.each(recorded.assertions)('assertion: $name', (fixture) => {
  const credential = { ...fixture.credential, publicKey: bytes(fixture.credential.publicKey) };
  const expected = { challenge: fixture.challenge, origin: fixture.origin, rpId: fixture.rpId, credential };

  test('verifies with the recorded counter', async () => {
    expect(await verifySecurityKeyAssertion(fixture.response, expected)).toEqual({
      ok: true,
      signCount: fixture.expect.signCount,
      userVerified: false,
    });
  });

  test('each bad input has its typed refusal', async () => {
    const refusal = (reason: string) => ({ ok: false, reason });
    expect(await verifySecurityKeyAssertion(fixture.response, { ...expected, challenge: 'b3RoZXI' })).toEqual(
      refusal('webauthn_wrong_challenge'),
    );
    expect(
      await verifySecurityKeyAssertion(fixture.response, { ...expected, origin: ['https://evil.example'] }),
    ).toEqual(refusal('webauthn_wrong_origin'));
    expect(await verifySecurityKeyAssertion(fixture.response, { ...expected, rpId: 'evil.example' })).toEqual(
      refusal('webauthn_wrong_rp_id'),
    );
    expect(
      await verifySecurityKeyAssertion(withClientData(fixture.response, { type: 'webauthn.create' }), expected),
    ).toEqual(refusal('webauthn_wrong_type'));
    expect(await verifySecurityKeyAssertion(withClientData(fixture.response, { extra: 1 }), expected)).toEqual(
      refusal('webauthn_bad_signature'),
    );
    const otherId = { ...credential, id: 'AAAA' };
    expect(await verifySecurityKeyAssertion(fixture.response, { ...expected, credential: otherId })).toEqual(
      refusal('webauthn_wrong_credential'),
    );
    const stale = { ...credential, signCount: fixture.expect.signCount === 0 ? 1 : fixture.expect.signCount };
    expect(await verifySecurityKeyAssertion(fixture.response, { ...expected, credential: stale })).toEqual(
      refusal('webauthn_counter_regression'),
    );
    const trailing = base64UrlEncode(new Uint8Array([...bytes(fixture.response.response.signature), 0]));
    const padded = { ...fixture.response, response: { ...fixture.response.response, signature: trailing } };
    expect(await verifySecurityKeyAssertion(padded, expected)).toEqual(refusal('webauthn_malformed_response'));
    const cleared = bytes(fixture.response.response.authenticatorData);
    cleared[32] = (cleared[32] as number) & ~0x01;
    const noPresence = {
      ...fixture.response,
      response: { ...fixture.response.response, authenticatorData: base64UrlEncode(cleared) },
    };
    expect(await verifySecurityKeyAssertion(noPresence, expected)).toEqual(refusal('webauthn_user_not_present'));
  });

  test('a counter regression is reported only for a valid signature', async () => {
    const stale = { ...credential, signCount: 1_000_000 };
    const forged = withClientData(fixture.response, { extra: 1 });
    expect(await verifySecurityKeyAssertion(forged, { ...expected, credential: stale })).toEqual({
      ok: false,
      reason: 'webauthn_bad_signature',
    });
  });
});
