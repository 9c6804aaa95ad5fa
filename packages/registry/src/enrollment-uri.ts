/**
 * @module
 * The otpauth URI and QR images of a new virtual device, via @mfakit/otpauth. The label is
 * `issuer:user`; a `:` inside the user's name would split the label, so it is shown as `-`.
 * Only the URI builder is loaded with the registry; the QR encoder is loaded on the first QR
 * image asked for (most servers hand the URI to a client that draws its own).
 */
import type { HashAlgorithm } from '@mfakit/core';
import { buildOtpauthUri } from '@mfakit/otpauth/uri';

export interface EnrollmentUriParameters {
  secret: Uint8Array;
  issuer: string;
  account: string;
  algorithm: HashAlgorithm;
  digits: number;
  period: number;
}

export function buildEnrollmentUri(parameters: EnrollmentUriParameters): string {
  return buildOtpauthUri({
    type: 'totp',
    secret: parameters.secret,
    issuer: parameters.issuer.replaceAll(':', '-'),
    account: parameters.account.replaceAll(':', '-'),
    algorithm: parameters.algorithm,
    digits: parameters.digits,
    period: parameters.period,
  });
}

export async function enrollmentQrSvg(uri: string): Promise<string> {
  const { qrSvg } = await import('@mfakit/otpauth/qr');
  return await qrSvg(uri);
}

export async function enrollmentQrPng(uri: string): Promise<Uint8Array> {
  const { qrPng } = await import('@mfakit/otpauth/qr');
  return await qrPng(uri);
}
