/**
 * @module
 * Server-side sessions (OWASP Session Management): a 256-bit random id in an httpOnly,
 * SameSite=Lax cookie (Secure when the public origin is https), stored as its SHA-256 so a
 * database reader cannot ride a session; a new id at sign-in and at the MFA step (no fixation);
 * idle and absolute timeouts checked on every request, expired rows deleted on the way.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerStore, SessionRecord } from './server-store.js';

export const SESSION_COOKIE = 'mfakit_session';

export interface SessionPolicy {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  secureCookies: boolean;
  now: () => number;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export class Sessions {
  readonly #store: ServerStore;
  readonly #policy: SessionPolicy;

  constructor(store: ServerStore, policy: SessionPolicy) {
    this.#store = store;
    this.#policy = policy;
  }

  /** The request's live session (touched), or undefined (none, unknown, idle or too old). */
  async load(request: FastifyRequest): Promise<SessionRecord | undefined> {
    const cached = (request as { mfakitSession?: SessionRecord | null }).mfakitSession;
    if (cached !== undefined) return cached ?? undefined;
    const id = request.cookies[SESSION_COOKIE];
    let session: SessionRecord | undefined;
    if (typeof id === 'string' && /^[A-Za-z0-9_-]{43}$/.test(id)) {
      const idHash = hashId(id);
      const found = await this.#store.getSession(idHash);
      const now = this.#policy.now();
      if (found !== undefined && this.#alive(found, now)) {
        if (now - found.lastSeenAt > 60_000) await this.#store.touchSession(idHash, now);
        session = { ...found, lastSeenAt: now };
      } else if (found !== undefined) {
        await this.#store.deleteSession(idHash);
      }
    }
    (request as { mfakitSession?: SessionRecord | null }).mfakitSession = session ?? null;
    return session;
  }

  #alive(session: SessionRecord, now: number): boolean {
    return (
      now - session.lastSeenAt <= this.#policy.idleTimeoutMs &&
      now - session.createdAt <= this.#policy.absoluteTimeoutMs
    );
  }

  /**
   * Starts a new session for `userId` and ends the request's old one (sign-in and every MFA pass
   * rotate the id). `createdAt` carries over on rotation, so the absolute timeout still holds.
   */
  async start(
    request: FastifyRequest,
    reply: FastifyReply,
    fields: { userId: string; stage: SessionRecord['stage']; mfaAt: number | null },
  ): Promise<SessionRecord> {
    const old = await this.load(request);
    await this.end(request, reply);
    const id = randomBytes(32).toString('base64url');
    const now = this.#policy.now();
    const session: SessionRecord = {
      idHash: hashId(id),
      userId: fields.userId,
      createdAt: old !== undefined && old.userId === fields.userId ? old.createdAt : now,
      lastSeenAt: now,
      mfaAt: fields.mfaAt,
      stage: fields.stage,
    };
    await this.#store.insertSession(session);
    reply.setCookie(SESSION_COOKIE, id, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.#policy.secureCookies,
      maxAge: Math.floor(this.#policy.absoluteTimeoutMs / 1000),
    });
    (request as { mfakitSession?: SessionRecord | null }).mfakitSession = session;
    return session;
  }

  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = request.cookies[SESSION_COOKIE];
    if (typeof id === 'string' && id.length <= 64) await this.#store.deleteSession(hashId(id));
    (request as { mfakitSession?: SessionRecord | null }).mfakitSession = null;
    reply.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.#policy.secureCookies,
    });
  }

  sweep(): Promise<number> {
    const now = this.#policy.now();
    return this.#store.deleteExpiredSessions(now - this.#policy.idleTimeoutMs, now - this.#policy.absoluteTimeoutMs);
  }
}
