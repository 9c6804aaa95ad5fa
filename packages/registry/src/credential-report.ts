/**
 * @module
 * A credential report in the spirit of AWS IAM's: one row per user with MFA status, device
 * count and kinds, last MFA use, consecutive failures and lockout. As typed rows and as CSV
 * (RFC 4180 quoting; cells that a spreadsheet could run as a formula are prefixed with `'`: those
 * whose first non-blank character, after Unicode compatibility folding, is = + - @ or a control
 * character — so a leading space, a no-break space or a full-width ＝ cannot hide one; OWASP
 * "CSV Injection").
 */
import type { RegistryContext } from './context.js';
import type { DeviceKind, UserKind } from './model.js';
import { assertId, assertOptions } from './validate.js';

/** One user's line of the credential report. */
export interface CredentialReportRow {
  user: string;
  userId: string;
  accountId: string;
  kind: UserKind;
  /** At least one active MFA device. */
  mfaActive: boolean;
  /** Active devices. */
  deviceCount: number;
  /** Kinds of the active devices, sorted, without repeats. */
  deviceKinds: DeviceKind[];
  pendingDeviceCount: number;
  /** Security keys flagged as possible clones (a sign counter that did not grow). */
  flaggedSecurityKeys: number;
  /** Latest successful MFA use over all devices, ms since the epoch. */
  lastMfaUsedAt: number | null;
  failedAttempts: number;
  locked: boolean;
  recoveryCodesRemaining: number;
}

/** The credential report: typed rows and the same as CSV. */
export interface CredentialReport {
  generatedAt: number;
  rows: CredentialReportRow[];
  csv: string;
}

const COLUMNS = [
  'user',
  'user_id',
  'account_id',
  'kind',
  'mfa_active',
  'device_count',
  'device_kinds',
  'pending_device_count',
  'flagged_security_keys',
  'last_mfa_used',
  'failed_attempts',
  'locked',
  'recovery_codes_remaining',
] as const;

/** A formula trigger after any leading blanks (Unicode White_Space and format characters). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: a leading control character (tab, CR) starts a formula in some spreadsheets
const FORMULA_START = /^[\s\p{Cf}]*[=+\-@\u0000-\u001f]/u;

/** One CSV cell: quoted as RFC 4180 asks, and prefixed with `'` when a spreadsheet could run it as a formula. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) || FORMULA_START.test(value.normalize('NFKC')) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvRow(row: CredentialReportRow): string {
  return [
    row.user,
    row.userId,
    row.accountId,
    row.kind,
    String(row.mfaActive),
    String(row.deviceCount),
    row.deviceKinds.join(';'),
    String(row.pendingDeviceCount),
    String(row.flaggedSecurityKeys),
    row.lastMfaUsedAt === null ? 'N/A' : new Date(row.lastMfaUsedAt).toISOString(),
    String(row.failedAttempts),
    String(row.locked),
    String(row.recoveryCodesRemaining),
  ]
    .map(csvCell)
    .join(',');
}

/** The report of every user, or of one account's users (`{ accountId }`). */
export async function credentialReport(
  context: RegistryContext,
  options: { accountId?: string } = {},
): Promise<CredentialReport> {
  assertOptions(options, 'options');
  const accountId = options.accountId === undefined ? undefined : assertId(options.accountId, 'accountId');
  const { store } = context.config;
  const generatedAt = context.config.clock.now();
  const rows: CredentialReportRow[] = [];
  for (const user of await store.users.list(accountId === undefined ? {} : { accountId })) {
    const devices = await store.devices.list({ userId: user.id });
    const active = devices.filter((device) => device.state === 'active');
    const failures = await store.attempts.get(user.id, 'otp');
    const codes = await store.recoveryCodes.get(user.id);
    const lastUses = devices.map((device) => device.lastUsedAt).filter((at): at is number => at !== null);
    rows.push({
      user: user.name,
      userId: user.id,
      accountId: user.accountId,
      kind: user.kind,
      mfaActive: active.length > 0,
      deviceCount: active.length,
      deviceKinds: [...new Set(active.map((device) => device.kind))].sort(),
      flaggedSecurityKeys: devices.filter((device) => device.kind === 'security-key' && device.flaggedAt !== null)
        .length,
      pendingDeviceCount: devices.filter((device) => device.state === 'pending').length,
      lastMfaUsedAt: lastUses.length === 0 ? null : Math.max(...lastUses),
      failedAttempts: failures.failureCount,
      locked: failures.lockedAt !== null,
      recoveryCodesRemaining: codes === undefined ? 0 : codes.codes.filter((code) => code.usedAt === null).length,
    });
  }
  const csv = `${[COLUMNS.join(','), ...rows.map(csvRow)].join('\r\n')}\r\n`;
  return { generatedAt, rows, csv };
}
