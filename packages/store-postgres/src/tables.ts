/**
 * @module
 * The role interfaces of `RegistryStore` over PostgreSQL. Single-statement methods run on the
 * pool (autocommit) or on the transaction's connection; the few that take several statements
 * (`tokens.insertMany`, `recoveryCodes.replace` and `delete`) run in a transaction of their
 * own outside a store transaction. `audit.append` goes to the batching appender
 * (audit-appender.ts: one statement per round, sealed inside the server); inside a store
 * transaction it takes the chain's lock on the transaction's connection, reads the tip and
 * inserts with a unique `seq`, so the log stays one chain.
 */
import {
  type AttemptScope,
  type AttemptState,
  type RegistryTables,
  type ReservationFromZero,
  sealAuditRecord,
  type UserWithDevices,
} from '@mfakit/registry/store';
import type { AuditAppender } from './audit-appender.js';
import type { PgQueryable } from './client.js';
import { isUniqueViolation, storeError } from './errors.js';
import { RoundBatcher } from './round-batcher.js';
import {
  attemptCasParams,
  auditParams,
  bytes,
  challengeParams,
  deviceParams,
  maybeNum,
  num,
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

/** Runs `operation` on a connection: the pool's, or the open transaction's. */
export type Runner = <T>(what: string, operation: (db: PgQueryable) => Promise<T>) => Promise<T>;

/** How often an append retries after losing the race for the next seq before giving up. */
const APPEND_ATTEMPTS = 1000;

const DEVICE_ORDER = (a: Row, b: Row) =>
  num(a.created_at) - num(b.created_at) || ((a.id as string) < (b.id as string) ? -1 : 1);

/** A `users.getWithDevices` call. */
interface GetWithDevicesCall {
  userId: string;
  reserve: ReservationFromZero | undefined;
}

/** A `devices.acceptStep` call. */
interface AcceptStepCall {
  deviceId: string;
  step: number;
  change: { at: number; driftSteps: number };
  attempt: { userId: string; scope: AttemptScope };
}

/** An `attempts.compareAndSet` call. */
interface AttemptCasCall {
  expected: AttemptState;
  next: Pick<AttemptState, 'failureCount' | 'lastFailureAt' | 'lockedAt'>;
}

/**
 * Outside transactions, the calls of a sign-in go out in rounds (round-batcher.ts): the audit
 * appender's, the read with its reservation, the accept, and — for a user whose counter is not at
 * zero, every wrong guess — the counter's read and compare-and-set; at most two rounds of a kind
 * in flight (each on a pooled connection).
 */
export interface Rounds {
  audit: AuditAppender;
  getWithDevices: RoundBatcher<GetWithDevicesCall, UserWithDevices | undefined>;
  acceptStep: RoundBatcher<AcceptStepCall, boolean>;
  attemptGet: RoundBatcher<{ userId: string; scope: AttemptScope }, AttemptState>;
  attemptCas: RoundBatcher<AttemptCasCall, boolean>;
}

async function attemptCasOne(db: PgQueryable, s: Statements, { expected, next }: AttemptCasCall) {
  const { fromZero, params } = attemptCasParams(expected, next);
  return (await db.query((fromZero ? s.attemptFromZero : s.attemptCas)(params))).rowCount === 1;
}

/** Calls per round at most by default (each a handful of array elements in one statement). */
export const DEFAULT_ROUND_SIZE = 64;
const ROUNDS_IN_FLIGHT = 2;

/** The rows of users.getWithDevices (one per device, or one with null device columns) → its answer. */
function toUserWithDevices(rows: Row[]): UserWithDevices | undefined {
  const first = rows[0];
  if (first === undefined) return undefined;
  const user = toUser({
    id: first.u_id,
    account_id: first.u_account_id,
    name: first.u_name,
    email: first.u_email,
    phone: first.u_phone,
    kind: first.u_kind,
    created_at: first.u_created_at,
  });
  return { user, devices: first.id === null ? [] : rows.map(toDevice), reserved: first.u_reserved === true };
}

async function getWithDevicesOne(db: PgQueryable, s: Statements, call: GetWithDevicesCall) {
  const { userId, reserve } = call;
  const { rows } = await db.query(
    reserve === undefined
      ? s.userGetWithDevices([userId])
      : s.userGetWithDevicesReserving([
          userId,
          reserve.scope,
          reserve.next.failureCount,
          reserve.next.lastFailureAt,
          reserve.next.lockedAt,
        ]),
  );
  return toUserWithDevices(rows);
}

async function acceptStepOne(db: PgQueryable, s: Statements, call: AcceptStepCall) {
  const { deviceId, step, change, attempt } = call;
  const { rows } = await db.query(
    s.deviceAcceptStep([step, change.driftSteps, change.at, deviceId, attempt.userId, attempt.scope]),
  );
  return rows[0]?.advanced === 1;
}

/**
 * The round batchers of a store's autocommit calls (`run`: the pool, with the store's error
 * handling), with at most `roundSize` calls in a sign-in round.
 */
export function postgresRounds(s: Statements, run: Runner, audit: AuditAppender, roundSize: number): Rounds {
  /** A batcher of one kind of call: a round of one runs the call's own statement, a larger round `many`. */
  const rounds = <Call, Answer>(
    what: string,
    alone: (db: PgQueryable, call: Call) => Promise<Answer>,
    many: (db: PgQueryable, calls: Call[]) => Promise<Answer[]>,
  ) =>
    new RoundBatcher<Call, Answer>({
      maxBatch: roundSize,
      maxInFlight: ROUNDS_IN_FLIGHT,
      write: (calls) =>
        run(what, async (db) => (calls.length === 1 ? [await alone(db, calls[0] as Call)] : many(db, calls))),
    });
  /** The calls whose numbers (b_n, from 1) a round's rows name. */
  const named = (rows: Row[], calls: unknown[]) => {
    const numbers = new Set(rows.map((row) => num(row.b_n)));
    return calls.map((_, i) => numbers.has(i + 1));
  };
  const getWithDevices = rounds<GetWithDevicesCall, UserWithDevices | undefined>(
    'users.getWithDevices',
    (db, call) => getWithDevicesOne(db, s, call),
    async (db, calls) => {
      const { rows } = await db.query(
        s.userGetWithDevicesRound([
          calls.map((c) => c.userId),
          calls.map((c) => c.reserve?.scope ?? null),
          calls.map((c) => c.reserve?.next.failureCount ?? null),
          calls.map((c) => c.reserve?.next.lastFailureAt ?? null),
          calls.map((c) => c.reserve?.next.lockedAt ?? null),
        ]),
      );
      const byCall: Row[][] = calls.map(() => []);
      for (const row of rows) byCall[num(row.b_n) - 1]?.push(row);
      return byCall.map(toUserWithDevices);
    },
  );
  const acceptStep = rounds<AcceptStepCall, boolean>(
    'devices.acceptStep',
    (db, call) => acceptStepOne(db, s, call),
    async (db, calls) => {
      const { rows } = await db.query(
        s.deviceAcceptStepRound([
          calls.map((c) => c.step),
          calls.map((c) => c.change.driftSteps),
          calls.map((c) => c.change.at),
          calls.map((c) => c.deviceId),
          calls.map((c) => c.attempt.userId),
          calls.map((c) => c.attempt.scope),
        ]),
      );
      return named(rows, calls);
    },
  );
  const attemptGet = rounds<{ userId: string; scope: AttemptScope }, AttemptState>(
    'attempts.get',
    async (db, { userId, scope }) => toAttempts(userId, scope, (await db.query(s.attemptGet([userId, scope]))).rows[0]),
    async (db, calls) => {
      const { rows } = await db.query(s.attemptGetRound([calls.map((c) => c.userId), calls.map((c) => c.scope)]));
      const byCall = new Map(rows.map((row) => [num(row.b_n), row]));
      return calls.map((c, i) => {
        const row = byCall.get(i + 1);
        return toAttempts(c.userId, c.scope, row?.present === true ? row : undefined);
      });
    },
  );
  const attemptCas = rounds<AttemptCasCall, boolean>(
    'attempts.compareAndSet',
    (db, call) => attemptCasOne(db, s, call),
    async (db, calls) => {
      const { rows } = await db.query(
        s.attemptCasRound([
          calls.map((c) => c.expected.userId),
          calls.map((c) => c.expected.scope),
          calls.map((c) => c.expected.failureCount),
          calls.map((c) => c.expected.lastFailureAt),
          calls.map((c) => c.expected.lockedAt),
          calls.map((c) => c.next.failureCount),
          calls.map((c) => c.next.lastFailureAt),
          calls.map((c) => c.next.lockedAt),
          calls.map((c) => attemptCasParams(c.expected, c.next).fromZero),
        ]),
      );
      return named(rows, calls);
    },
  );
  return { audit, getWithDevices, acceptStep, attemptGet, attemptCas };
}

export function postgresTables(
  s: Statements,
  run: Runner,
  atomically: Runner,
  /** Outside transactions: the round batchers (postgresRounds); inside a transaction, undefined. */
  rounds: Rounds | undefined,
  /** The statement that takes the audit chain's lock until the transaction ends. */
  auditLock: string,
): RegistryTables {
  const one = async (db: PgQueryable, config: ReturnType<Statements[keyof Statements]>) =>
    (await db.query(config)).rows[0];
  const changed = async (db: PgQueryable, config: ReturnType<Statements[keyof Statements]>) =>
    (await db.query(config)).rowCount === 1;
  const all = async (db: PgQueryable, config: ReturnType<Statements[keyof Statements]>) =>
    (await db.query(config)).rows;

  async function insertOnce(db: PgQueryable, config: ReturnType<Statements[keyof Statements]>, what: string) {
    try {
      await db.query(config);
    } catch (error) {
      if (isUniqueViolation(error)) throw storeError('duplicate_id', `${what}: the id exists`, error);
      throw error;
    }
  }

  return {
    accounts: {
      insert: (a) => run('accounts.insert', (db) => changed(db, s.accountInsert([a.id, a.rootUserId, a.createdAt]))),
      get: (accountId) =>
        run('accounts.get', async (db) => {
          const row = await one(db, s.accountGet([accountId]));
          return row === undefined
            ? undefined
            : { id: row.id as string, rootUserId: row.root_user_id as string, createdAt: num(row.created_at) };
        }),
    },

    users: {
      insert: (u) =>
        run('users.insert', (db) =>
          changed(db, s.userInsert([u.id, u.accountId, u.name, u.email, u.phone, u.kind, u.createdAt])),
        ),
      get: (userId) =>
        run('users.get', async (db) => {
          const row = await one(db, s.userGet([userId]));
          return row === undefined ? undefined : toUser(row);
        }),
      list: (filter = {}) =>
        run('users.list', async (db) =>
          (
            await all(db, filter.accountId === undefined ? s.userList([]) : s.userListByAccount([filter.accountId]))
          ).map(toUser),
        ),
      getWithDevices: (userId, reserve) =>
        rounds !== undefined
          ? rounds.getWithDevices.submit(
              { userId, reserve },
              reserve === undefined ? undefined : `${userId}\u0000${reserve.scope}`,
            )
          : run('users.getWithDevices', (db) => getWithDevicesOne(db, s, { userId, reserve })),
    },

    devices: {
      insert: (device) =>
        run('devices.insert', (db) =>
          insertOnce(db, s.deviceInsert(Object.values(deviceParams(device))), 'devices.insert'),
        ),
      get: (deviceId) =>
        run('devices.get', async (db) => {
          const row = await one(db, s.deviceGet([deviceId]));
          return row === undefined ? undefined : toDevice(row);
        }),
      list: (filter = {}) =>
        run('devices.list', async (db) =>
          (await all(db, filter.userId === undefined ? s.deviceList([]) : s.deviceListByUser([filter.userId]))).map(
            toDevice,
          ),
        ),
      activate: (deviceId, change) =>
        run('devices.activate', (db) =>
          changed(db, s.deviceActivate([change.at, change.lastAcceptedStep, change.driftSteps, deviceId])),
        ),
      advanceLastAcceptedStep: (deviceId, step, change) =>
        run('devices.advanceLastAcceptedStep', (db) =>
          changed(db, s.deviceAdvanceStep([step, change.driftSteps, change.at, deviceId])),
        ),
      acceptStep: (deviceId, step, change, attempt) =>
        rounds !== undefined
          ? rounds.acceptStep.submit({ deviceId, step, change, attempt }, deviceId)
          : run('devices.acceptStep', (db) => acceptStepOne(db, s, { deviceId, step, change, attempt })),
      advanceSignCount: (deviceId, expected, next, at) =>
        run('devices.advanceSignCount', (db) => changed(db, s.deviceAdvanceSignCount([next, at, deviceId, expected]))),
      flag: (deviceId, at) => run('devices.flag', (db) => changed(db, s.deviceFlag([at, deviceId]))),
      deactivate: (deviceId, at) => run('devices.deactivate', (db) => changed(db, s.deviceDeactivate([at, deviceId]))),
      deleteExpiredPending: (userId, createdBefore) =>
        run('devices.deleteExpiredPending', async (db) =>
          (await all(db, s.deviceDeleteExpired([userId, createdBefore])))
            .sort(DEVICE_ORDER)
            .map((row) => row.id as string),
        ),
      replaceSecret: (deviceId, expectedKeyId, encryptedSecret, keyId) =>
        run('devices.replaceSecret', (db) =>
          changed(db, s.deviceReplaceSecret([encryptedSecret, keyId, deviceId, expectedKeyId])),
        ),
    },

    tokens: {
      insertMany: (tokens) => {
        // A serial repeated within the import is refused before touching the database.
        const seen = new Set<string>();
        for (const token of tokens) {
          if (seen.has(token.serial)) return Promise.resolve({ ok: false as const, duplicateSerial: token.serial });
          seen.add(token.serial);
        }
        return atomically('tokens.insertMany', async (db) => {
          for (const t of tokens) {
            const inserted = await changed(db, s.tokenInsert(tokenParams(t)));
            // Exists already: undo the whole import (the transaction rolls back on this throw).
            if (!inserted) throw new DuplicateSerial(t.serial);
          }
          return { ok: true as const };
        }).catch((error: unknown) => {
          if (error instanceof DuplicateSerial) return { ok: false as const, duplicateSerial: error.serial };
          throw error;
        });
      },
      get: (serial) =>
        run('tokens.get', async (db) => {
          const row = await one(db, s.tokenGet([serial]));
          return row === undefined ? undefined : toToken(row);
        }),
      list: () => run('tokens.list', async (db) => (await all(db, s.tokenList([]))).map(toToken)),
      claim: (serial, a) =>
        run('tokens.claim', (db) => changed(db, s.tokenClaim([a.userId, a.deviceId, a.at, serial]))),
      replaceSecret: (serial, expectedKeyId, encryptedSecret, keyId) =>
        run('tokens.replaceSecret', (db) =>
          changed(db, s.tokenReplaceSecret([encryptedSecret, keyId, serial, expectedKeyId])),
        ),
    },

    attempts: {
      get: (userId, scope) =>
        rounds !== undefined
          ? rounds.attemptGet.submit({ userId, scope })
          : run('attempts.get', async (db) => toAttempts(userId, scope, await one(db, s.attemptGet([userId, scope])))),
      compareAndSet: (expected, next) =>
        rounds !== undefined
          ? rounds.attemptCas.submit({ expected, next }, `${expected.userId}\u0000${expected.scope}`)
          : run('attempts.compareAndSet', (db) => attemptCasOne(db, s, { expected, next })),
      reset: (userId, scope) =>
        run('attempts.reset', async (db) => {
          await db.query(s.attemptReset([userId, scope]));
        }),
    },

    recoveryCodes: {
      replace: (set) =>
        atomically('recoveryCodes.replace', async (db) => {
          await db.query(s.codesDelete([set.userId]));
          await db.query(s.codeSetUpsert([set.userId, set.salt, set.createdAt]));
          for (const code of set.codes) await db.query(s.codeInsert([set.userId, code.index, code.hash, code.usedAt]));
        }),
      get: (userId) =>
        run('recoveryCodes.get', async (db) => {
          const row = await one(db, s.codeSetGet([userId]));
          if (row === undefined) return undefined;
          const codes = (await all(db, s.codesGet([userId]))).map((code) => ({
            index: num(code.code_index),
            hash: bytes(code.hash),
            usedAt: maybeNum(code.used_at),
          }));
          return { userId, salt: bytes(row.salt), createdAt: num(row.created_at), codes };
        }),
      consume: (userId, index, hash, at) =>
        run('recoveryCodes.consume', (db) => changed(db, s.codeConsume([at, userId, index, hash]))),
      delete: (userId) =>
        atomically('recoveryCodes.delete', async (db) => {
          await db.query(s.codesDelete([userId]));
          await db.query(s.codeSetDelete([userId]));
        }),
    },

    recoverySessions: {
      insert: (x) =>
        run('recoverySessions.insert', (db) =>
          insertOnce(
            db,
            s.sessionInsert([
              x.id,
              x.userId,
              x.salt,
              x.emailCodeHash,
              x.phoneCodeHash,
              x.createdAt,
              x.expiresAt,
              x.attempts,
              x.state,
              x.finishedAt,
            ]),
            'recoverySessions.insert',
          ),
        ),
      get: (sessionId) =>
        run('recoverySessions.get', async (db) => {
          const row = await one(db, s.sessionGet([sessionId]));
          return row === undefined ? undefined : toSession(row);
        }),
      listByUser: (userId, createdAfter) =>
        run('recoverySessions.listByUser', async (db) =>
          (await all(db, s.sessionListByUser([userId, createdAfter]))).map(toSession),
        ),
      incrementAttempts: (sessionId) =>
        run('recoverySessions.incrementAttempts', async (db) => {
          const row = await one(db, s.sessionIncrement([sessionId]));
          return row === undefined ? undefined : num(row.attempts);
        }),
      finish: (sessionId, state, at) =>
        run('recoverySessions.finish', (db) => changed(db, s.sessionFinish([state, at, sessionId]))),
    },

    challenges: {
      insert: (c) =>
        run('challenges.insert', (db) => insertOnce(db, s.challengeInsert(challengeParams(c)), 'challenges.insert')),
      take: (challengeId) =>
        run('challenges.take', async (db) => {
          const row = await one(db, s.challengeTake([challengeId]));
          return row === undefined ? undefined : toChallenge(row);
        }),
      deleteExpired: (userId, at) =>
        run(
          'challenges.deleteExpired',
          async (db) => (await db.query(s.challengeDeleteExpired([userId, at]))).rowCount ?? 0,
        ),
    },

    audit: {
      append: (draft) =>
        rounds?.audit.append(draft) ??
        run('audit.append', async (db) => {
          // Inside a transaction: its connection, one record at a time, holding the chain's
          // lock (as the batching appender does) until the transaction ends.
          await db.query({ text: auditLock });
          for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
            const tip = await one(db, s.auditTip([]));
            const record = sealAuditRecord(
              draft,
              tip === undefined ? undefined : { seq: num(tip.seq), hash: tip.hash as string },
            );
            const inserted = await changed(db, s.auditInsert(auditParams(record)));
            if (inserted) return record;
          }
          throw storeError(
            'store_unavailable',
            'audit.append: lost the race for the next record too often; nothing was appended',
          );
        }),
      list: (options = {}) =>
        run('audit.list', async (db) => {
          const after = options.afterSeq ?? 0;
          const limit = options.limit ?? null; // LIMIT NULL: no limit
          const rows = await all(
            db,
            options.accountId === undefined
              ? s.auditList([after, limit])
              : s.auditListByAccount([options.accountId, after, limit]),
          );
          return rows.map(toAudit);
        }),
    },
  };
}

/** Aborts an import's transaction naming the serial that exists. */
class DuplicateSerial extends Error {
  constructor(readonly serial: string) {
    super('duplicate serial');
  }
}
