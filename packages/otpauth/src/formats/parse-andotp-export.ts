/**
 * @module
 * andOTP plain JSON backups (`otp_accounts.json`): an array of entries { `secret` (base32),
 * `issuer`, `label` (the account name), `digits`, `type`: TOTP | HOTP | STEAM, `algorithm`,
 * `period`, `counter`, `thumbnail`, `last_used`, `tags` }. Older andOTP versions wrote no
 * `issuer` and put "Issuer - account" or "Issuer:account" in `label`. Encrypted backups
 * (`.json.aes`) are binary: restore them in andOTP and make a plain backup.
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

/** True when parsed JSON has the shape of an andOTP plain export (an array of entries). */
export function isAndOtpExport(json: unknown): boolean {
  if (!Array.isArray(json)) return false;
  const first = record(json[0]);
  return json.length === 0 || (first !== undefined && 'secret' in first && 'label' in first && 'type' in first);
}

/** Accounts of an andOTP plain (unencrypted) JSON export, and the entries it skipped. */
export function parseAndOtpExport(fileText: string): ExportImport {
  const root = readExportJson(fileText, 'andOTP');
  if (!Array.isArray(root) || !isAndOtpExport(root)) {
    throw invalidExport('The file is not a list of andOTP entries: it is not a plain andOTP backup.');
  }
  checkEntryCount(root, 'andOTP');
  return collect(root, (entry, index) => {
    const fields = record(entry) ?? {};
    let issuer = text(fields.issuer);
    let account = text(fields.label);
    if (issuer === '') {
      const split = /^(.+?)\s*(?: - |:)\s*(.+)$/.exec(account);
      if (split !== null) {
        issuer = split[1] ?? '';
        account = split[2] ?? '';
      }
    }
    return accountFromFields(index, {
      issuer,
      account,
      secret: typeof fields.secret === 'string' ? fields.secret : undefined,
      type: typeof fields.type === 'string' ? fields.type : undefined,
      algorithm: fields.algorithm,
      digits: fields.digits,
      period: fields.period,
      counter: fields.counter,
    });
  });
}
