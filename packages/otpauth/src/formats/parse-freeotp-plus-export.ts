/**
 * @module
 * FreeOTP+ JSON exports (`freeotp-backup.json`): { `tokens`: [{ `issuerExt`, `label`, `secret`
 * (the key as signed bytes, −128…127, as Java writes a byte[]), `algo`, `digits`, `period`,
 * `counter`, `type`: TOTP | HOTP }], `tokenOrder` }. Some versions add `secret_base32`.
 */
import {
  accountFromFields,
  checkEntryCount,
  collect,
  type ExportImport,
  invalidExport,
  readExportJson,
  record,
  text,
} from './export-entry.js';

/** True when parsed JSON has the shape of a FreeOTP+ JSON export. */
export function isFreeOtpPlusExport(json: unknown): boolean {
  const root = record(json);
  return root !== undefined && Array.isArray(root.tokens);
}

/** Java's signed bytes → bytes; undefined when any value is not a byte. */
function javaBytes(value: unknown): Uint8Array | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const bytes = new Uint8Array(value.length);
  for (let index = 0; index < value.length; index++) {
    const byte = value[index];
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < -128 || byte > 255) return undefined;
    bytes[index] = byte & 0xff;
  }
  return bytes;
}

/** Accounts of a FreeOTP+ JSON export, and the entries it skipped. */
export function parseFreeOtpPlusExport(fileText: string): ExportImport {
  const root = record(readExportJson(fileText, 'FreeOTP+'));
  if (root === undefined || !isFreeOtpPlusExport(root)) {
    throw invalidExport('The file has no tokens list: it is not a FreeOTP+ export.');
  }
  const tokens = root.tokens as unknown[];
  checkEntryCount(tokens, 'FreeOTP+');
  return collect(tokens, (entry, index) => {
    const token = record(entry) ?? {};
    const bytes = javaBytes(token.secret);
    return accountFromFields(index, {
      issuer: text(token.issuerExt) || text(token.issuerInt),
      account: text(token.label),
      secret: bytes ?? (typeof token.secret_base32 === 'string' ? token.secret_base32 : undefined),
      type: typeof token.type === 'string' ? token.type : undefined,
      algorithm: token.algo,
      digits: token.digits,
      period: token.period,
      counter: token.counter,
    });
  });
}
