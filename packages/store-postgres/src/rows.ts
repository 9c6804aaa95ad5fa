/**
 * @module
 * Rows ↔ records: the SQL stores share one mapping, @mfakit/registry/store's `sqlRows`.
 */
import { sqlRows } from '@mfakit/registry/store';

export type Row = sqlRows.Row;
export const {
  bytes,
  num,
  maybeNum,
  toUser,
  toDevice,
  deviceParams,
  DEVICE_COLUMNS,
  toToken,
  tokenParams,
  toAttempts,
  attemptCasParams,
  toSession,
  toAudit,
  toChallenge,
  challengeParams,
  auditParams,
  AUDIT_COLUMNS,
} = sqlRows;
