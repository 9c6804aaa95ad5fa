/**
 * @module
 * The virtual key's attestation certificate: a minimal self-signed X.509 v3 certificate
 * (RFC 5280 §4.1) for its P-256 attestation key, signed ecdsa-with-SHA256 (RFC 5758 §3.2), with
 * what FIDO asks of an attestation certificate (FIDO U2F Raw Message Formats §4.3; WebAuthn §8.2.1
 * for `packed`): version 3, a subject with C, O, OU "Authenticator Attestation" and CN, and
 * basicConstraints CA:FALSE. Written by hand (≈ 60 lines of DER) rather than pulling in an X.509
 * library: this is the only certificate the package writes, and its fields never vary.
 */
import { p256 } from '@noble/curves/nist.js';
import {
  derBitString,
  derBoolean,
  derExplicit,
  derGeneralizedTime,
  derObjectIdentifier,
  derOctetString,
  derPrintableString,
  derSequence,
  derSet,
  derUnsignedInteger,
  derUtcTime,
  derUtf8String,
} from './der-writer.js';
import { encodeDerSignature } from './ecdsa-signature.js';

const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_P256 = '1.2.840.10045.3.1.7';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';

export interface CertificateSubject {
  readonly country: string;
  readonly organization: string;
  readonly organizationalUnit: string;
  readonly commonName: string;
}

export const VIRTUAL_KEY_SUBJECT: CertificateSubject = {
  country: 'SE',
  organization: 'mfakit',
  organizationalUnit: 'Authenticator Attestation',
  commonName: 'mfakit Virtual Security Key',
};

function name(subject: CertificateSubject): Uint8Array {
  const attribute = (oid: string, value: Uint8Array) => derSet(derSequence(derObjectIdentifier(oid), value));
  return derSequence(
    attribute('2.5.4.6', derPrintableString(subject.country)),
    attribute('2.5.4.10', derUtf8String(subject.organization)),
    attribute('2.5.4.11', derUtf8String(subject.organizationalUnit)),
    attribute('2.5.4.3', derUtf8String(subject.commonName)),
  );
}

/** A self-signed certificate for `secretKey`, with the given serial number (positive, ≤ 20 bytes). */
export function selfSignedAttestationCertificate(
  secretKey: Uint8Array,
  serialNumber: Uint8Array,
  subject: CertificateSubject = VIRTUAL_KEY_SUBJECT,
): Uint8Array {
  const algorithm = derSequence(derObjectIdentifier(OID_ECDSA_WITH_SHA256));
  const subjectName = name(subject);
  const tbs = derSequence(
    derExplicit(0, derUnsignedInteger(Uint8Array.of(2))),
    derUnsignedInteger(serialNumber),
    algorithm,
    subjectName,
    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on.
    derSequence(derUtcTime('200101000000Z'), derGeneralizedTime('20991231235959Z')),
    subjectName,
    derSequence(
      derSequence(derObjectIdentifier(OID_EC_PUBLIC_KEY), derObjectIdentifier(OID_P256)),
      derBitString(p256.getPublicKey(secretKey, false)),
    ),
    derExplicit(
      3,
      derSequence(
        derSequence(derObjectIdentifier(OID_BASIC_CONSTRAINTS), derBoolean(true), derOctetString(derSequence())),
      ),
    ),
  );
  const signature = encodeDerSignature(p256.sign(tbs, secretKey, { prehash: true }));
  return derSequence(tbs, algorithm, derBitString(signature));
}
