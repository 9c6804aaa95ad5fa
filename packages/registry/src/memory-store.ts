/**
 * @module
 * `MemoryRegistryStore`: the `RegistryStore` for tests, demos and single-process servers that
 * accept losing state on restart. Each method does its whole read-modify-write synchronously
 * before returning its promise, so no other operation can interleave with it even though the
 * interface is async: the compare-and-set and increment guarantees hold exactly as in SQL.
 * Records are copied on the way in and out.
 */
import { constantTimeEqual } from '@mfakit/core';
import { bytesToHex } from '@noble/hashes/utils.js';
import { sealAuditRecord } from './audit-chain.js';
import {
  byCreation,
  copyAudit,
  copyCodeSet,
  copyDevice,
  copyFailure,
  copySession,
  copyToken,
  copyUser,
  failureKey,
} from './memory-records.js';
import type {
  AuditDraft,
  AuditRecord,
  DeviceRecord,
  FailureScope,
  FailureState,
  HardwareTokenRecord,
  RecoveryCodeSet,
  RecoverySessionRecord,
  UserRecord,
} from './model.js';
import { type RecoveryStartLimit, recoveryStartRetryAt } from './recovery-start-limit.js';
import type {
  AssignTokenOutcome,
  ImportTokensOutcome,
  InsertDeviceOutcome,
  InsertRecoverySessionOutcome,
  ListAuditOptions,
  RecoveryCompletion,
  RegistryStore,
} from './store.js';

/** Everything the store holds, deep-copied: compare two snapshots to prove a call changed nothing. */
export interface MemoryStoreSnapshot {
  users: UserRecord[];
  devices: DeviceRecord[];
  hardwareTokens: HardwareTokenRecord[];
  failures: FailureState[];
  recoveryCodes: RecoveryCodeSet[];
  recoverySessions: RecoverySessionRecord[];
  audit: AuditRecord[];
}

export class MemoryRegistryStore implements RegistryStore {
  readonly #users = new Map<string, UserRecord>();
  readonly #devices = new Map<string, DeviceRecord>();
  readonly #tokens = new Map<string, HardwareTokenRecord>();
  readonly #failures = new Map<string, FailureState>();
  readonly #codes = new Map<string, RecoveryCodeSet>();
  readonly #sessions = new Map<string, RecoverySessionRecord>();
  readonly #audit: AuditRecord[] = [];

  async insertUser(user: UserRecord): Promise<boolean> {
    if (this.#users.has(user.id)) return false;
    this.#users.set(user.id, copyUser(user));
    return true;
  }

  async getUser(userId: string): Promise<UserRecord | undefined> {
    const user = this.#users.get(userId);
    return user === undefined ? undefined : copyUser(user);
  }

  async listUsers(): Promise<UserRecord[]> {
    return [...this.#users.values()].sort(byCreation).map(copyUser);
  }

  #liveDeviceCount(userId: string): number {
    let count = 0;
    for (const device of this.#devices.values()) {
      if (device.userId === userId && device.state !== 'deactivated') count++;
    }
    return count;
  }

  async insertDevice(device: DeviceRecord, maxDevices: number): Promise<InsertDeviceOutcome> {
    if (this.#devices.has(device.id)) throw new Error(`duplicate device id ${device.id}`);
    if (this.#liveDeviceCount(device.userId) >= maxDevices) return 'device_limit';
    this.#devices.set(device.id, copyDevice(device));
    return 'inserted';
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    const device = this.#devices.get(deviceId);
    return device === undefined ? undefined : copyDevice(device);
  }

  async listDevices(filter: { userId?: string } = {}): Promise<DeviceRecord[]> {
    const devices: DeviceRecord[] = [];
    for (const device of this.#devices.values()) {
      if (filter.userId === undefined || device.userId === filter.userId) devices.push(copyDevice(device));
    }
    return devices.sort(byCreation);
  }

  async activateDevice(
    deviceId: string,
    change: { at: number; lastAcceptedStep: number; driftSteps: number },
  ): Promise<boolean> {
    const device = this.#devices.get(deviceId);
    if (device?.state !== 'pending') return false;
    device.state = 'active';
    device.enabledAt = change.at;
    device.lastAcceptedStep = change.lastAcceptedStep;
    device.driftSteps = change.driftSteps;
    return true;
  }

  async advanceLastAcceptedStep(
    deviceId: string,
    step: number,
    change: { at: number; driftSteps: number },
  ): Promise<boolean> {
    const device = this.#devices.get(deviceId);
    if (device?.state !== 'active' || !(step > device.lastAcceptedStep)) return false;
    device.lastAcceptedStep = step;
    device.driftSteps = change.driftSteps;
    device.lastUsedAt = change.at;
    return true;
  }

  async deactivateDevice(deviceId: string, at: number): Promise<boolean> {
    const device = this.#devices.get(deviceId);
    if (device === undefined || device.state === 'deactivated') return false;
    device.state = 'deactivated';
    device.deactivatedAt = at;
    return true;
  }

  async deleteExpiredPendingDevices(userId: string, createdBefore: number): Promise<string[]> {
    const deleted: string[] = [];
    for (const device of [...this.#devices.values()].sort(byCreation)) {
      if (device.userId === userId && device.state === 'pending' && device.createdAt < createdBefore) {
        this.#devices.delete(device.id);
        deleted.push(device.id);
      }
    }
    return deleted;
  }

  async replaceDeviceSecret(
    deviceId: string,
    expectedKeyId: string,
    encryptedSecret: Uint8Array,
    keyId: string,
  ): Promise<boolean> {
    const device = this.#devices.get(deviceId);
    if (device === undefined || device.keyId !== expectedKeyId) return false;
    device.encryptedSecret = encryptedSecret.slice();
    device.keyId = keyId;
    return true;
  }

  async insertHardwareTokens(tokens: HardwareTokenRecord[]): Promise<ImportTokensOutcome> {
    const seen = new Set<string>();
    for (const token of tokens) {
      if (this.#tokens.has(token.serial) || seen.has(token.serial)) return { ok: false, duplicateSerial: token.serial };
      seen.add(token.serial);
    }
    for (const token of tokens) this.#tokens.set(token.serial, copyToken(token));
    return { ok: true };
  }

  async getHardwareToken(serial: string): Promise<HardwareTokenRecord | undefined> {
    const token = this.#tokens.get(serial);
    return token === undefined ? undefined : copyToken(token);
  }

  async listHardwareTokens(): Promise<HardwareTokenRecord[]> {
    return [...this.#tokens.values()]
      .sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0))
      .map(copyToken);
  }

  async assignHardwareToken(serial: string, device: DeviceRecord, maxDevices: number): Promise<AssignTokenOutcome> {
    const token = this.#tokens.get(serial);
    if (token === undefined) return 'unknown_serial';
    if (token.assignedUserId !== null) return 'serial_assigned';
    if (this.#devices.has(device.id)) throw new Error(`duplicate device id ${device.id}`);
    if (this.#liveDeviceCount(device.userId) >= maxDevices) return 'device_limit';
    token.assignedUserId = device.userId;
    token.assignedDeviceId = device.id;
    token.assignedAt = device.createdAt;
    this.#devices.set(device.id, copyDevice(device));
    return 'assigned';
  }

  async replaceHardwareTokenSecret(
    serial: string,
    expectedKeyId: string,
    encryptedSecret: Uint8Array,
    keyId: string,
  ): Promise<boolean> {
    const token = this.#tokens.get(serial);
    if (token === undefined || token.keyId !== expectedKeyId) return false;
    token.encryptedSecret = encryptedSecret.slice();
    token.keyId = keyId;
    return true;
  }

  async getFailureState(userId: string, scope: FailureScope): Promise<FailureState> {
    const state = this.#failures.get(failureKey(userId, scope));
    return state === undefined
      ? { userId, scope, failureCount: 0, lastFailureAt: null, lockedAt: null }
      : copyFailure(state);
  }

  async recordFailure(userId: string, scope: FailureScope, at: number, lockThreshold: number): Promise<FailureState> {
    const key = failureKey(userId, scope);
    let state = this.#failures.get(key);
    if (state === undefined) {
      state = { userId, scope, failureCount: 0, lastFailureAt: null, lockedAt: null };
      this.#failures.set(key, state);
    }
    state.failureCount += 1;
    state.lastFailureAt = at;
    if (state.failureCount >= lockThreshold && state.lockedAt === null) state.lockedAt = at;
    return copyFailure(state);
  }

  async resetFailures(userId: string, scope: FailureScope): Promise<void> {
    this.#failures.delete(failureKey(userId, scope));
  }

  async replaceRecoveryCodes(set: RecoveryCodeSet): Promise<void> {
    this.#codes.set(set.userId, copyCodeSet(set));
  }

  async getRecoveryCodes(userId: string): Promise<RecoveryCodeSet | undefined> {
    const set = this.#codes.get(userId);
    return set === undefined ? undefined : copyCodeSet(set);
  }

  async consumeRecoveryCode(userId: string, index: number, hash: Uint8Array, at: number): Promise<boolean> {
    const code = this.#codes.get(userId)?.codes.find((candidate) => candidate.index === index);
    if (code === undefined || code.usedAt !== null || !constantTimeEqual(code.hash, hash)) return false;
    code.usedAt = at;
    return true;
  }

  async deleteRecoveryCodes(userId: string): Promise<void> {
    this.#codes.delete(userId);
  }

  async insertRecoverySession(
    session: RecoverySessionRecord,
    limit: RecoveryStartLimit,
  ): Promise<InsertRecoverySessionOutcome> {
    if (this.#sessions.has(session.id)) throw new Error(`duplicate recovery session id ${session.id}`);
    const starts: number[] = [];
    for (const other of this.#sessions.values()) if (other.userId === session.userId) starts.push(other.createdAt);
    const retryAt = recoveryStartRetryAt(starts, session.createdAt, limit);
    if (retryAt !== undefined) return { inserted: false, retryAt };
    for (const other of this.#sessions.values()) {
      if (other.userId === session.userId && other.state === 'open') {
        other.state = 'superseded';
        other.finishedAt = session.createdAt;
      }
    }
    this.#sessions.set(session.id, copySession(session));
    return { inserted: true };
  }

  async getRecoverySession(sessionId: string): Promise<RecoverySessionRecord | undefined> {
    const session = this.#sessions.get(sessionId);
    return session === undefined ? undefined : copySession(session);
  }

  async incrementRecoveryAttempts(sessionId: string): Promise<number | undefined> {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return undefined;
    session.attempts += 1;
    return session.attempts;
  }

  async finishRecoverySession(sessionId: string, state: 'completed' | 'failed', at: number): Promise<boolean> {
    const session = this.#sessions.get(sessionId);
    if (session?.state !== 'open') return false;
    session.state = state;
    session.finishedAt = at;
    return true;
  }

  async completeRecoverySession(
    sessionId: string,
    at: number,
    auditDrafts: (deactivatedDeviceIds: string[]) => AuditDraft[],
  ): Promise<RecoveryCompletion> {
    const session = this.#sessions.get(sessionId);
    if (session?.state !== 'open') return { completed: false };
    const { userId } = session;
    const devices = [...this.#devices.values()]
      .filter((device) => device.userId === userId && device.state !== 'deactivated')
      .sort(byCreation);
    const deactivatedDeviceIds = devices.map((device) => device.id);
    // Everything that can throw runs before the first write: all or nothing, as in a transaction.
    const records: AuditRecord[] = [];
    let tip: AuditRecord | undefined = this.#audit[this.#audit.length - 1];
    for (const draft of auditDrafts([...deactivatedDeviceIds])) {
      tip = sealAuditRecord(draft, tip);
      records.push(tip);
    }
    session.state = 'completed';
    session.finishedAt = at;
    for (const device of devices) {
      device.state = 'deactivated';
      device.deactivatedAt = at;
    }
    this.#failures.delete(failureKey(userId, 'otp'));
    this.#failures.delete(failureKey(userId, 'recovery_code'));
    this.#codes.delete(userId);
    this.#audit.push(...records);
    return { completed: true, deactivatedDeviceIds };
  }

  async appendAudit(draft: AuditDraft): Promise<AuditRecord> {
    const tip = this.#audit[this.#audit.length - 1];
    const record = sealAuditRecord(draft, tip);
    this.#audit.push(record);
    return copyAudit(record);
  }

  async listAudit(options: ListAuditOptions = {}): Promise<AuditRecord[]> {
    const after = options.afterSeq ?? 0;
    // seq n sits at index n - 1.
    const records = this.#audit.slice(Math.max(0, after));
    return (options.limit === undefined ? records : records.slice(0, options.limit)).map(copyAudit);
  }

  /** A deep copy of everything held. */
  snapshot(): MemoryStoreSnapshot {
    return {
      users: [...this.#users.values()].map(copyUser),
      devices: [...this.#devices.values()].map(copyDevice),
      hardwareTokens: [...this.#tokens.values()].map(copyToken),
      failures: [...this.#failures.values()].map(copyFailure),
      recoveryCodes: [...this.#codes.values()].map(copyCodeSet),
      recoverySessions: [...this.#sessions.values()].map(copySession),
      audit: this.#audit.map(copyAudit),
    };
  }

  /** The snapshot as JSON text, bytes as hex: what a database dump would show. */
  dump(): string {
    return JSON.stringify(this.snapshot(), (_key, value) => (value instanceof Uint8Array ? bytesToHex(value) : value));
  }

  /**
   * Test hook: replaces the audit log as stored (to simulate tampering with the database).
   * The registry never calls it.
   */
  tamperAudit(edit: (records: AuditRecord[]) => AuditRecord[]): void {
    const edited = edit(this.#audit.map(copyAudit));
    this.#audit.splice(0, this.#audit.length, ...edited.map(copyAudit));
  }
}
