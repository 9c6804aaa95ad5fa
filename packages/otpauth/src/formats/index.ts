/**
 * @module
 * Readers of other authenticators' plain exports: 2FAS, andOTP, FreeOTP+ and Bitwarden. Each
 * returns the accounts and the entries it could not import, named with the reason.
 */
export { type ExportImport, MAX_EXPORT_ENTRIES, MAX_EXPORT_FILE_LENGTH } from './export-entry.js';
export { isAndOtpExport, parseAndOtpExport } from './parse-andotp-export.js';
export { isBitwardenExport, parseBitwardenExport } from './parse-bitwarden-export.js';
export { isFreeOtpPlusExport, parseFreeOtpPlusExport } from './parse-freeotp-plus-export.js';
export { isTwoFasExport, parseTwoFasExport } from './parse-two-fas-export.js';
