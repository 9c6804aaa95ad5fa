/**
 * @module
 * What every page route needs: the registry, the server store, sessions, the MFA plugin, and
 * helpers to find who is signed in, guard pages, render and redirect.
 */
import type { Mfa } from '@mfakit/fastify';
import type { Registry, UserRecord } from '@mfakit/registry';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Html, type PageContext, page } from './html.js';
import type { LoginRecord, ServerStore, SessionRecord } from './server-store.js';
import type { Sessions } from './sessions.js';

export interface ServerContext {
  registry: Registry;
  store: ServerStore;
  sessions: Sessions;
  mfa: Mfa;
  production: boolean;
  /** Per-account limit on sign-in, MFA and recovery attempts (all instances). */
  accountLimit: { max: number; windowMs: number };
  /** Sign-in, MFA and recovery posts per minute per IP. */
  sensitivePerMinute: number;
}

export interface Viewer {
  session: SessionRecord;
  user: UserRecord;
  login: LoginRecord | undefined;
}

/** Thrown by guards: the handler stops and the client is sent elsewhere. */
export class Redirect extends Error {
  constructor(readonly location: string) {
    super(`redirect to ${location}`);
  }
}

export async function viewer(context: ServerContext, request: FastifyRequest): Promise<Viewer | undefined> {
  const session = await context.sessions.load(request);
  if (session === undefined) return undefined;
  const user = await context.registry.getUser(session.userId);
  if (user === undefined) return undefined;
  return { session, user, login: await context.store.loginByUser(user.id) };
}

/** A fully signed-in user (password and, when they have a device, MFA), or a redirect. */
export async function requireSignedIn(context: ServerContext, request: FastifyRequest): Promise<Viewer> {
  const who = await viewer(context, request);
  if (who === undefined) throw new Redirect('/sign-in');
  if (who.session.stage !== 'full') throw new Redirect('/sign-in/mfa');
  return who;
}

export async function requireRoot(context: ServerContext, request: FastifyRequest): Promise<Viewer> {
  const who = await requireSignedIn(context, request);
  if (who.user.kind !== 'root')
    throw Object.assign(new Error('Only the account root user can do this'), { statusCode: 403 });
  return who;
}

/** True when the session passed MFA within `maxAgeSeconds` (IAM's MultiFactorAuthAge). */
export function mfaFresh(context: ServerContext, session: SessionRecord, maxAgeSeconds: number): boolean {
  return session.mfaAt !== null && context.registry.config.clock.now() - session.mfaAt <= maxAgeSeconds * 1000;
}

/** A local path to return to after the MFA step; anything else becomes `/security`. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/[A-Za-z0-9/_-]*$/.test(value) && !value.startsWith('//')
    ? value
    : '/security';
}

export function renderPage(
  reply: FastifyReply,
  who: Viewer | undefined,
  context: Omit<PageContext, 'csrfToken' | 'signedIn'>,
  body: Html,
  status = 200,
): FastifyReply {
  const csrfToken = reply.generateCsrf();
  const signedIn =
    who === undefined
      ? undefined
      : { name: who.user.name, root: who.user.kind === 'root', mfaPending: who.session.stage !== 'full' };
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page({ ...context, csrfToken, signedIn }, body));
}

/** Counts an attempt against the account (all instances share the counter); false when over the limit. */
export async function withinAccountLimit(context: ServerContext, key: string): Promise<boolean> {
  const { max, windowMs } = context.accountLimit;
  const now = context.registry.config.clock.now();
  const count = await context.store.hitRateLimit(key, now - (now % windowMs));
  return count <= max;
}
