/**
 * @module
 * Bitwarden unencrypted JSON exports: { `encrypted`: false, `folders`, `items`: [{ `type`: 1
 * (login), `name`, `notes`, `login`: { `username`, `totp` } }] }. Bitwarden's `totp` field holds
 * an otpauth URI, a bare base32 secret (then SHA1, 6 digits, 30 s) or `steam://SECRET`. Items
 * without `totp` are passwords, not authenticator accounts: they are left out, not reported.
 * Encrypted exports (`encrypted: true`) are refused: export unencrypted JSON.
 */
import type { OtpAccount } from '../account.js';
import type { SkippedEntry } from '../skipped-entry.js';
import { parseOtpauthUri } from '../uri/parse-otpauth-uri.js';
import {
  accountFromFields,
  checkEntryCount,
  type ExportImport,
  invalidExport,
  readExportJson,
  record,
  text,
} from './export-entry.js';

/** True when parsed JSON has the shape of a Bitwarden JSON export. */
export function isBitwardenExport(json: unknown): boolean {
  const root = record(json);
  return root !== undefined && Array.isArray(root.items) && ('encrypted' in root || 'folders' in root);
}

/** Accounts of the TOTP fields of a Bitwarden unencrypted JSON export, and the entries it skipped. */
export function parseBitwardenExport(fileText: string): ExportImport {
  const root = record(readExportJson(fileText, 'Bitwarden'));
  if (root === undefined || !isBitwardenExport(root)) {
    throw invalidExport('The file has no items list: it is not a Bitwarden JSON export.');
  }
  if (root.encrypted === true) {
    throw invalidExport('This Bitwarden export is encrypted: export it again as unencrypted JSON (.json).');
  }
  const items = root.items as unknown[];
  checkEntryCount(items, 'Bitwarden');
  const accounts: OtpAccount[] = [];
  const skipped: SkippedEntry[] = [];
  items.forEach((entry, index) => {
    const item = record(entry) ?? {};
    const login = record(item.login);
    const totp = text(login?.totp);
    if (totp === '') return;
    const name = text(item.name);
    const username = text(login?.username);
    if (/^otpauth:/i.test(totp)) {
      try {
        const parsed = parseOtpauthUri(totp);
        accounts.push({
          ...parsed,
          // The item's name and user name when the URI leaves them out.
          ...(parsed.issuer === undefined && name !== '' ? { issuer: name } : {}),
        });
      } catch (error) {
        skipped.push({
          index,
          account: username,
          ...(name === '' ? {} : { issuer: name }),
          reason: 'invalid_entry',
          message: `This entry's otpauth URI cannot be imported: ${error instanceof Error ? error.message : 'it is not valid'}`,
        });
      }
      return;
    }
    // Bitwarden's `steam://SECRET`: the base32 secret of a Steam Guard token.
    const steam = /^steam:\/\//i.test(totp);
    const result = accountFromFields(index, {
      issuer: name,
      account: username,
      secret: steam ? totp.slice('steam://'.length) : totp,
      type: steam ? 'steam' : 'totp',
    });
    if ('account' in result) accounts.push(result.account);
    else skipped.push(result.skipped);
  });
  return { accounts, skipped };
}
