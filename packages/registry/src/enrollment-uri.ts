/**
 * @module
 * The otpauth URI and QR images of a new virtual device, via @mfakit/otpauth. The label is
 * `issuer:user`; a `:` inside the user's name would split the label, so it is shown as `-`.
 */
import type { HashAlgorithm } from '@mfakit/core';
import { buildOtpauthUri, qrPng, qrSvg } from '@mfakit/otpauth';

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

export const enrollmentQrSvg = (uri: string): Promise<string> => qrSvg(uri);
export const enrollmentQrPng = (uri: string): Promise<Uint8Array> => qrPng(uri);
