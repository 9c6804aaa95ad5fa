/**
 * @module
 * The role interfaces of `RegistryStore` over one better-sqlite3 connection. Each method runs
 * synchronously to completion through `run` (the store decides whether it runs now, waits for
 * an open transaction, or runs inside one), so no other call of this process interleaves with
 * it. Every write runs inside a transaction (a group commit or a store transaction, both
 * `BEGIN IMMEDIATE`), so another process sees all of it or none. Methods that write several
 * rows (`tokens.insertMany`, `recoveryCodes.replace` and `delete`) run in a savepoint, so a
 * failure half-way leaves nothing of theirs in the group's transaction.
 */
import {
  type HardwareTokenRecord,
  type ImportTokensOutcome,
  type RecoveryCodeSet,
  type RegistryTables,
  sealAuditRecord,
} from '@mfakit/registry/store';
import type { Database } from 'better-sqlite3';
import { isUniqueViolation, storeError } from './errors.js';
import {
  attemptCasParams,
  auditParams,
  bytes,
  challengeParams,
  deviceParams,
  type Row,
  toAttempts,
  toAudit,
  toChallenge,
  toDevice,
  tokenParams,
  toSession,
  toToken,
  toUser,
} from './rows.js';
import type { Statements } from './statements.js';

/** Runs one synchronous store operation when the store allows it. */
export type Runner = <T>(what: string, operation: () => T) => Promise<T>;

/** SQLite's largest LIMIT: "no limit". */
const NO_LIMIT = -1;

export function sqliteTables(db: Database, s: Statements, run: Runner): RegistryTables {
  // All or nothing: a savepoint inside the open transaction (better-sqlite3's transaction
  // functions, made once here rather than per call).
  const insertTokens = db.transaction((tokens: HardwareTokenRecord[]): ImportTokensOutcome => {
    const seen = new Set<string>();
    for (const token of tokens) {
      if (seen.has(token.serial) || s.tokenExists.get(token.serial) !== undefined) {
        return { ok: false, duplicateSerial: token.serial };
      }
      seen.add(token.serial);
    }
    for (const t of tokens) {
      s.tokenInsert.run(...tokenParams(t));
    }
    return { ok: true };
  });
  const replaceCodes = db.transaction((set: RecoveryCodeSet) => {
    s.codesDelete.run(set.userId);
    s.codeSetUpsert.run(set.userId, set.salt, set.createdAt);
    for (const code of set.codes) s.codeInsert.run(set.userId, code.index, code.hash, code.usedAt);
  });
  const deleteCodes = db.transaction((userId: string) => {
    s.codesDelete.run(userId);
    s.codeSetDelete.run(userId);
  });

  return {
    accounts: {
      insert: (account) =>
        run(
          'accounts.insert',
          () => s.accountInsert.run(account.id, account.rootUserId, account.createdAt).changes === 1,
        ),
      get: (accountId) =>
        run('accounts.get', () => {
          const row = s.accountGet.get(accountId) as Row | undefined;
          return row === undefined
            ? undefined
            : { id: row.id as string, rootUserId: row.root_user_id as string, createdAt: row.created_at as number };
        }),
    },

    users: {
      insert: (user) =>
        run(
          'users.insert',
          () =>
            s.userInsert.run(user.id, user.accountId, user.name, user.email, user.phone, user.kind, user.createdAt)
              .changes === 1,
        ),
      get: (userId) =>
        run('users.get', () => {
          const row = s.userGet.get(userId) as Row | undefined;
          return row === undefined ? undefined : toUser(row);
        }),
      list: (filter = {}) =>
        run('users.list', () =>
          (filter.accountId === undefined ? s.userList.all() : s.userListByAccount.all(filter.accountId)).map((row) =>
            toUser(row as Row),
          ),
        ),
      // Statements run back to back on the one connection (no call of this process between);
      // with a reservation it is a write, and runs in the group's transaction.
      getWithDevices: (userId, reserve) =>
        run(reserve === undefined ? 'users.getWithDevices' : 'users.getWithDevices+reserve', () => {
          const row = s.userGet.get(userId) as Row | undefined;
          if (row === undefined) return undefined;
          const reserved =
            reserve !== undefined &&
            s.attemptFromZero.run(
              userId,
              reserve.scope,
              reserve.next.failureCount,
              reserve.next.lastFailureAt,
              reserve.next.lockedAt,
            ).changes === 1;
          const devices = s.deviceListByUser.all(userId).map((device) => toDevice(device as Row));
          return { user: toUser(row), devices, reserved };
        }),
    },

    devices: {
      insert: (device) =>
        run('devices.insert', () => {
          try {
            s.deviceInsert.run(deviceParams(device));
          } catch (error) {
            if (isUniqueViolation(error))
              throw storeError('duplicate_id', 'devices.insert: the device id exists', error);
            throw error;
          }
        }),
      get: (deviceId) =>
        run('devices.get', () => {
          const row = s.deviceGet.get(deviceId) as Row | undefined;
          return row === undefined ? undefined : toDevice(row);
        }),
      list: (filter = {}) =>
        run('devices.list', () =>
          (filter.userId === undefined ? s.deviceList.all() : s.deviceListByUser.all(filter.userId)).map((row) =>
            toDevice(row as Row),
          ),
        ),
      activate: (deviceId, change) =>
        run(
          'devices.activate',
          () => s.deviceActivate.run(change.at, change.lastAcceptedStep, change.driftSteps, deviceId).changes === 1,
        ),
      advanceLastAcceptedStep: (deviceId, step, change) =>
        run(
          'devices.advanceLastAcceptedStep',
          () => s.deviceAdvanceStep.run(step, change.driftSteps, change.at, deviceId, step).changes === 1,
        ),
      // Inside the group's (or the store transaction's) BEGIN IMMEDIATE: both commit or neither.
      acceptStep: (deviceId, step, change, attempt) =>
        run('devices.acceptStep', () => {
          if (s.deviceAdvanceStep.run(step, change.driftSteps, change.at, deviceId, step).changes !== 1) return false;
          s.attemptReset.run(attempt.userId, attempt.scope);
          return true;
        }),
      advanceSignCount: (deviceId, expected, next, at) =>
        run('devices.advanceSignCount', () => s.deviceAdvanceSignCount.run(next, at, deviceId, expected).changes === 1),
      flag: (deviceId, at) => run('devices.flag', () => s.deviceFlag.run(at, deviceId).changes === 1),
      deactivate: (deviceId, at) => run('devices.deactivate', () => s.deviceDeactivate.run(at, deviceId).changes === 1),
      deleteExpiredPending: (userId, createdBefore) =>
        run('devices.deleteExpiredPending', () =>
          (s.deviceDeleteExpired.all(userId, createdBefore) as Row[])
            .sort(
              (a, b) =>
                (a.created_at as number) - (b.created_at as number) || ((a.id as string) < (b.id as string) ? -1 : 1),
            )
            .map((row) => row.id as string),
        ),
      replaceSecret: (deviceId, expectedKeyId, encryptedSecret, keyId) =>
        run(
          'devices.replaceSecret',
          () => s.deviceReplaceSecret.run(encryptedSecret, keyId, deviceId, expectedKeyId).changes === 1,
        ),
    },

    tokens: {
      insertMany: (tokens) => run('tokens.insertMany', () => insertTokens.immediate(tokens)),
      get: (serial) =>
        run('tokens.get', () => {
          const row = s.tokenGet.get(serial) as Row | undefined;
          return row === undefined ? undefined : toToken(row);
        }),
      list: () => run('tokens.list', () => s.tokenList.all().map((row) => toToken(row as Row))),
      claim: (serial, assignment) =>
        run(
          'tokens.claim',
          () => s.tokenClaim.run(assignment.userId, assignment.deviceId, assignment.at, serial).changes === 1,
        ),
      replaceSecret: (serial, expectedKeyId, encryptedSecret, keyId) =>
        run(
          'tokens.replaceSecret',
          () => s.tokenReplaceSecret.run(encryptedSecret, keyId, serial, expectedKeyId).changes === 1,
        ),
    },

    attempts: {
      get: (userId, scope) =>
        run('attempts.get', () => toAttempts(userId, scope, s.attemptGet.get(userId, scope) as Row | undefined)),
      compareAndSet: (expected, next) =>
        run('attempts.compareAndSet', () => {
          const { fromZero, params } = attemptCasParams(expected, next);
          return (fromZero ? s.attemptFromZero : s.attemptCas).run(...params).changes === 1;
        }),
      reset: (userId, scope) =>
        run('attempts.reset', () => {
          s.attemptReset.run(userId, scope);
        }),
    },

    recoveryCodes: {
      replace: (set) =>
        run('recoveryCodes.replace', () => {
          replaceCodes.immediate(set);
        }),
      get: (userId) =>
        run('recoveryCodes.get', () => {
          const row = s.codeSetGet.get(userId) as Row | undefined;
          if (row === undefined) return undefined;
          const codes = (s.codesGet.all(userId) as Row[]).map((code) => ({
            index: code.code_index as number,
            hash: bytes(code.hash),
            usedAt: code.used_at as number | null,
          }));
          return { userId, salt: bytes(row.salt), createdAt: row.created_at as number, codes };
        }),
      consume: (userId, index, hash, at) =>
        run('recoveryCodes.consume', () => s.codeConsume.run(at, userId, index, hash).changes === 1),
      delete: (userId) =>
        run('recoveryCodes.delete', () => {
          deleteCodes.immediate(userId);
        }),
    },

    recoverySessions: {
      insert: (session) =>
        run('recoverySessions.insert', () => {
          try {
            s.sessionInsert.run(
              session.id,
              session.userId,
              session.salt,
              session.emailCodeHash,
              session.phoneCodeHash,
              session.createdAt,
              session.expiresAt,
              session.attempts,
              session.state,
              session.finishedAt,
            );
          } catch (error) {
            if (isUniqueViolation(error)) {
              throw storeError('duplicate_id', 'recoverySessions.insert: the session id exists', error);
            }
            throw error;
          }
        }),
      get: (sessionId) =>
        run('recoverySessions.get', () => {
          const row = s.sessionGet.get(sessionId) as Row | undefined;
          return row === undefined ? undefined : toSession(row);
        }),
      listByUser: (userId, createdAfter) =>
        run('recoverySessions.listByUser', () =>
          s.sessionListByUser.all(userId, createdAfter).map((row) => toSession(row as Row)),
        ),
      incrementAttempts: (sessionId) =>
        run('recoverySessions.incrementAttempts', () => {
          const row = s.sessionIncrement.get(sessionId) as Row | undefined;
          return row === undefined ? undefined : (row.attempts as number);
        }),
      finish: (sessionId, state, at) =>
        run('recoverySessions.finish', () => s.sessionFinish.run(state, at, sessionId).changes === 1),
    },

    challenges: {
      insert: (challenge) =>
        run('challenges.insert', () => {
          try {
            s.challengeInsert.run(...challengeParams(challenge));
          } catch (error) {
            if (isUniqueViolation(error)) throw storeError('duplicate_id', 'challenges.insert: the id exists', error);
            throw error;
          }
        }),
      take: (challengeId) =>
        run('challenges.take', () => {
          const row = s.challengeTake.get(challengeId) as Row | undefined;
          return row === undefined ? undefined : toChallenge(row);
        }),
      deleteExpired: (userId, at) =>
        run('challenges.deleteExpired', () => s.challengeDeleteExpired.run(userId, at).changes),
    },

    audit: {
      // Runs inside the group's or the store transaction's BEGIN IMMEDIATE: SQLite's write lock
      // is the tip lock, across processes too, and nothing else runs on the connection between
      // the tip read and the insert. The insert is one statement, so no savepoint is needed.
      append: (draft) =>
        run('audit.append', () => {
          const record = sealAuditRecord(draft, s.auditTip.get() as { seq: number; hash: string } | undefined);
          s.auditInsert.run(...auditParams(record));
          return record;
        }),
      list: (options = {}) =>
        run('audit.list', () => {
          const after = options.afterSeq ?? 0;
          const limit = options.limit ?? NO_LIMIT;
          const rows =
            options.accountId === undefined
              ? s.auditList.all(after, limit)
              : s.auditListByAccount.all(options.accountId, after, limit);
          return rows.map((row) => toAudit(row as Row));
        }),
    },
  };
}
