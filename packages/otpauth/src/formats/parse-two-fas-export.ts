/**
 * @module
 * 2FAS Authenticator backups (`.2fas`, JSON). Format as the 2FAS apps write it (schemaVersion 1–4):
 * `services[]`, each with `name`, a base32 `secret` and `otp` { `issuer`, `account`, `label`,
 * `digits`, `period`, `counter`, `algorithm`, `tokenType`: TOTP | HOTP | STEAM }. A backup
 * protected with a password has `servicesEncrypted` instead of `services`: export it again from
 * 2FAS without a password (Settings › 2FAS Backup › Export), import, then delete the file.
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

/** Whether parsed JSON looks like a 2FAS backup. */
export function isTwoFasExport(json: unknown): boolean {
  const root = record(json);
  return root !== undefined && (Array.isArray(root.services) || typeof root.servicesEncrypted === 'string');
}

/** Accounts of a 2FAS Authenticator unencrypted backup, and the entries it skipped. */
export function parseTwoFasExport(fileText: string): ExportImport {
  const root = record(readExportJson(fileText, '2FAS'));
  if (root === undefined || !isTwoFasExport(root))
    throw invalidExport('The file has no services: it is not a 2FAS backup.');
  if (typeof root.servicesEncrypted === 'string' && (!Array.isArray(root.services) || root.services.length === 0)) {
    throw invalidExport(
      'This 2FAS backup is protected with a password, which mfakit cannot open: export it again from 2FAS without a password.',
    );
  }
  const services = root.services as unknown[];
  checkEntryCount(services, '2FAS');
  return collect(services, (entry, index) => {
    const service = record(entry) ?? {};
    const otp = record(service.otp) ?? {};
    // The service name is what 2FAS shows as the title; `otp.issuer` is the URI's, when scanned.
    const issuer = text(otp.issuer) || text(service.name);
    const account =
      text(otp.account) ||
      (text(otp.label).includes(':') ? (text(otp.label).split(':')[1]?.trim() ?? '') : text(otp.label));
    return accountFromFields(index, {
      issuer,
      account,
      secret: typeof service.secret === 'string' ? service.secret : undefined,
      type: typeof otp.tokenType === 'string' ? otp.tokenType : undefined,
      algorithm: otp.algorithm,
      digits: otp.digits,
      period: otp.period,
      counter: otp.counter,
    });
  });
}
