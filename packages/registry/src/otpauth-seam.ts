/**
 * @module
 * SEAM until @mfakit/otpauth lands: how a new virtual device's otpauth URI and QR images are
 * made. Replace the bodies with `buildOtpauthUri` / `qrSvg` / `qrPng` from @mfakit/otpauth.
 */
import { base32Encode, type HashAlgorithm } from '@mfakit/core';

export interface EnrollmentUriParameters {
  secret: Uint8Array;
  issuer: string;
  account: string;
  algorithm: HashAlgorithm;
  digits: number;
  period: number;
}

/** Key URI Format: `otpauth://totp/Issuer:account?secret=…&issuer=…` (label `issuer:user`). */
export function buildEnrollmentUri(parameters: EnrollmentUriParameters): string {
  const label = `${encodeURIComponent(parameters.issuer)}:${encodeURIComponent(parameters.account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(parameters.secret).replace(/=+$/, ''),
    issuer: parameters.issuer,
    algorithm: parameters.algorithm,
    digits: String(parameters.digits),
    period: String(parameters.period),
  });
  return `otpauth://totp/${label}?${query.toString().replaceAll('+', '%20')}`;
}

export async function enrollmentQrSvg(_uri: string): Promise<string> {
  throw new Error('QR rendering needs @mfakit/otpauth');
}

export async function enrollmentQrPng(_uri: string): Promise<Uint8Array> {
  throw new Error('QR rendering needs @mfakit/otpauth');
}
