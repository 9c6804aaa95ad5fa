/**
 * @module
 * A credential report in the spirit of AWS IAM's: one row per user with MFA status, device
 * count and kinds, last MFA use, consecutive failures and lockout. As typed rows and as CSV
 * (RFC 4180 quoting; cells that a spreadsheet would run as a formula are prefixed with `'`).
 */
import type { RegistryContext } from './context.js';
import type { DeviceKind, UserKind } from './model.js';

export interface CredentialReportRow {
  user: string;
  userId: string;
  kind: UserKind;
  /** At least one active MFA device. */
  mfaActive: boolean;
  /** Active devices. */
  deviceCount: number;
  /** Kinds of the active devices, sorted, without repeats. */
  deviceKinds: DeviceKind[];
  pendingDeviceCount: number;
  /** Latest successful MFA use over all devices, ms since the epoch. */
  lastMfaUsedAt: number | null;
  failedAttempts: number;
  locked: boolean;
  recoveryCodesRemaining: number;
}

export interface CredentialReport {
  generatedAt: number;
  rows: CredentialReportRow[];
  csv: string;
}

const COLUMNS = [
  'user',
  'user_id',
  'kind',
  'mfa_active',
  'device_count',
  'device_kinds',
  'pending_device_count',
  'last_mfa_used',
  'failed_attempts',
  'locked',
  'recovery_codes_remaining',
] as const;

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvRow(row: CredentialReportRow): string {
  return [
    row.user,
    row.userId,
    row.kind,
    String(row.mfaActive),
    String(row.deviceCount),
    row.deviceKinds.join(';'),
    String(row.pendingDeviceCount),
    row.lastMfaUsedAt === null ? 'N/A' : new Date(row.lastMfaUsedAt).toISOString(),
    String(row.failedAttempts),
    String(row.locked),
    String(row.recoveryCodesRemaining),
  ]
    .map(csvCell)
    .join(',');
}

export async function credentialReport(context: RegistryContext): Promise<CredentialReport> {
  const { store } = context.config;
  const generatedAt = context.config.clock.now();
  const rows: CredentialReportRow[] = [];
  for (const user of await store.listUsers()) {
    const devices = await store.listDevices({ userId: user.id });
    const active = devices.filter((device) => device.state === 'active');
    const failures = await store.getFailureState(user.id, 'otp');
    const codes = await store.getRecoveryCodes(user.id);
    const lastUses = devices.map((device) => device.lastUsedAt).filter((at): at is number => at !== null);
    rows.push({
      user: user.name,
      userId: user.id,
      kind: user.kind,
      mfaActive: active.length > 0,
      deviceCount: active.length,
      deviceKinds: [...new Set(active.map((device) => device.kind))].sort(),
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
