/**
 * @module
 * Hardware token seed files as vendors ship them: CSV lines `serial,base32secret[,digits,period]`.
 * Blank lines, `#` comments and a header line starting with `serial` are skipped. Errors name
 * the line number, never its content (the content is a secret).
 */
import { base32Decode, isMfaError, MIN_SECRET_BYTES } from '@mfakit/core';
import { registryError } from './errors.js';
import { MAX_SERIAL_LENGTH } from './validate.js';

/** One token of a seed file. */
export interface SeedEntry {
  serial: string;
  secret: Uint8Array;
  digits: number;
  period: number;
}

/** Upper bound on a seed file, so a hostile upload stays cheap to reject. */
export const MAX_SEED_FILE_BYTES = 10_000_000;
const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

function invalid(line: number, problem: string): Error {
  return registryError('invalid_seed_file', `Seed file line ${line}: ${problem}`);
}

function optionalInteger(text: string | undefined, fallback: number, min: number, max: number): number | undefined {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text.trim());
  return /^[0-9]+$/.test(text.trim()) && value >= min && value <= max ? value : undefined;
}

/** The tokens of a vendor seed file (`serial,base32secret[,digits,period]` lines); errors name the line, never its content. */
export function parseSeedFile(text: string, options: { allowShortSecret?: boolean } = {}): SeedEntry[] {
  if (typeof text !== 'string') throw new TypeError('seed file must be a string');
  if (text.length > MAX_SEED_FILE_BYTES) throw registryError('invalid_seed_file', 'Seed file is too large');
  const entries: SeedEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = (lines[index] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    if (entries.length === 0 && /^serial\s*,/i.test(line)) continue;
    const fields = line.split(',');
    if (fields.length < 2 || fields.length > 4) throw invalid(lineNumber, 'expected serial,secret[,digits,period]');
    const serial = (fields[0] as string).trim();
    if (serial.length === 0 || serial.length > MAX_SERIAL_LENGTH || !SERIAL_PATTERN.test(serial)) {
      throw invalid(lineNumber, `the serial must be 1-${MAX_SERIAL_LENGTH} letters, digits and hyphens`);
    }
    let secret: Uint8Array;
    try {
      secret = base32Decode((fields[1] as string).trim());
    } catch (error) {
      if (isMfaError(error, 'invalid_base32')) throw invalid(lineNumber, 'the secret is not base32');
      throw error;
    }
    if (secret.length < MIN_SECRET_BYTES && options.allowShortSecret !== true) {
      throw invalid(
        lineNumber,
        `the secret is shorter than ${MIN_SECRET_BYTES} bytes (pass allowShortSecret for legacy tokens)`,
      );
    }
    const digits = optionalInteger(fields[2], 6, 6, 8);
    const period = optionalInteger(fields[3], 30, 10, 300);
    if (digits === undefined) throw invalid(lineNumber, 'digits must be 6, 7 or 8');
    if (period === undefined) throw invalid(lineNumber, 'period must be 10-300 seconds');
    entries.push({ serial, secret, digits, period });
  }
  if (entries.length === 0) throw registryError('invalid_seed_file', 'Seed file has no tokens');
  return entries;
}
