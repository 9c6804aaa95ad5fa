/**
 * @module
 * Import of Google Authenticator "Transfer accounts" QR codes
 * (`otpauth-migration://offline?data=…`).
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { OtpAccount } from '../account.js';
import { otpauthError } from '../errors.js';
import { MigrationPayloadSchema } from '../gen/google_auth_migration_pb.js';
import type { SkippedEntry } from '../skipped-entry.js';
import { decodeMigrationData, MAX_MIGRATION_URI_LENGTH } from './migration-data.js';
import { accountFromParameters } from './payload-accounts.js';

/** One `otpauth-migration://` URI decoded: its accounts and its place in the export. */
export interface MigrationBatch {
  /** Accounts of this QR code, in payload order. */
  accounts: OtpAccount[];
  /** Entries that could not be imported (e.g. MD5), with the reason. */
  skipped: SkippedEntry[];
  /** Payload format version (Google Authenticator writes 1). */
  version: number;
  /** How many QR codes the export has (at least 1). */
  batchSize: number;
  /** 0-based position of this QR code in the export. */
  batchIndex: number;
  /** Identifies the export; equal on all its QR codes. */
  batchId: number;
}

const SCHEME = 'otpauth-migration://';

/**
 * Entries one QR code may carry. Google Authenticator writes 10; the byte capacity of a QR code
 * (2 953 at level L) fits at most ~140 real accounts. Without a bound, a code of tiny hostile
 * entries (two bytes each) becomes thousands of objects before anything else is checked.
 */
export const MAX_MIGRATION_ENTRIES_PER_URI = 256;

type MigrationPayload = ReturnType<typeof fromBinary<typeof MigrationPayloadSchema>>;

/** One QR code decoded and its batch fields checked; its accounts not yet converted. */
export interface DecodedMigrationUri {
  payload: MigrationPayload;
  /** The payload bytes: the payload's secrets are views into them; wipe after converting. */
  bytes: Uint8Array;
  batchSize: number;
  batchIndex: number;
  batchId: number;
}

/**
 * Parses one migration QR code's text. Throws `MfaError` 'invalid_uri' when it is not an
 * `otpauth-migration://offline?data=…` URI, and 'invalid_migration_payload' when `data` is not a
 * base64 MigrationPayload. Entries it cannot import are listed in `skipped`, never dropped.
 */
export function parseMigrationUri(uri: string): MigrationBatch {
  if (typeof uri !== 'string') throw new TypeError('parseMigrationUri expects the URI as a string');
  const decoded = decodeMigrationUri(uri);
  try {
    return migrationBatch(decoded);
  } finally {
    decoded.bytes.fill(0);
  }
}

/** Steps 1–2 of parsing a QR code: the URI, `data`, the payload and its batch fields (bounded work). */
export function decodeMigrationUri(uri: string): DecodedMigrationUri {
  if (uri.length > MAX_MIGRATION_URI_LENGTH) {
    throw otpauthError(
      'invalid_uri',
      `The text is longer than ${MAX_MIGRATION_URI_LENGTH} characters; it is not a migration URI.`,
    );
  }
  const text = uri.trim();
  if (text.slice(0, SCHEME.length).toLowerCase() !== SCHEME) {
    throw otpauthError(
      'invalid_uri',
      "This is not a Google Authenticator export: it must start with 'otpauth-migration://offline?'.",
    );
  }
  const rest = text.slice(SCHEME.length);
  const question = rest.indexOf('?');
  const host = question === -1 ? rest : rest.slice(0, question);
  if (host.replace(/\/$/, '').toLowerCase() !== 'offline') {
    throw otpauthError(
      'invalid_uri',
      "Only 'otpauth-migration://offline?data=…' exports are known: the host must be 'offline'.",
    );
  }
  const data = dataParameter(question === -1 ? '' : rest.slice(question + 1));
  const bytes = decodeMigrationData(data);
  try {
    return { bytes, ...decodePayload(bytes) };
  } catch (error) {
    bytes.fill(0);
    throw error;
  }
}

function dataParameter(query: string): string {
  let data: string | undefined;
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).toLowerCase() !== 'data') continue;
    if (data !== undefined) throw otpauthError('invalid_uri', 'The export has more than one data parameter: keep one.');
    data = pair.slice(equals + 1);
  }
  if (data === undefined) {
    throw otpauthError(
      'invalid_uri',
      "The export has no data parameter: expected 'otpauth-migration://offline?data=…'.",
    );
  }
  return data;
}

function decodePayload(bytes: Uint8Array): Omit<DecodedMigrationUri, 'bytes'> {
  let payload: MigrationPayload;
  try {
    payload = fromBinary(MigrationPayloadSchema, bytes, { readUnknownFields: false });
  } catch (cause) {
    throw otpauthError(
      'invalid_migration_payload',
      'The export data is not a Google Authenticator transfer payload (truncated or damaged): scan the QR code again.',
      cause,
    );
  }
  const batchSize = payload.batchSize === 0 ? 1 : payload.batchSize;
  if (batchSize < 1 || payload.batchIndex < 0 || payload.batchIndex >= batchSize) {
    throw otpauthError(
      'invalid_migration_payload',
      `The export says it is QR code ${payload.batchIndex + 1} of ${batchSize}, which is impossible: scan it again.`,
    );
  }
  if (payload.otpParameters.length > MAX_MIGRATION_ENTRIES_PER_URI) {
    throw otpauthError(
      'invalid_migration_payload',
      `The export data holds ${payload.otpParameters.length} entries; one QR code holds at most ${MAX_MIGRATION_ENTRIES_PER_URI}: it is not a Google Authenticator export.`,
    );
  }
  return { payload, batchSize, batchIndex: payload.batchIndex, batchId: payload.batchId };
}

/** Step 3: the accounts of a decoded QR code. */
export function migrationBatch({ payload, batchSize, batchIndex, batchId }: DecodedMigrationUri): MigrationBatch {
  const accounts: OtpAccount[] = [];
  const skipped: SkippedEntry[] = [];
  payload.otpParameters.forEach((parameters, index) => {
    const converted = accountFromParameters(parameters, index);
    if ('account' in converted) accounts.push(converted.account);
    else skipped.push(converted.skipped);
  });
  return { accounts, skipped, version: payload.version, batchSize, batchIndex, batchId };
}
