import { randomBytes } from 'node:crypto';
import { createMfa } from '@mfakit/fastify';
import type { Registry } from '@mfakit/registry';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Your app's sessions (here a Map keyed by the `sid` cookie; @fastify/cookie is registered). */
export type AppSessions = Map<string, { userId: string; mfaAt?: number }>;

export async function addMfa(app: FastifyInstance, registry: Registry, sessions: AppSessions): Promise<void> {
  const current = (request: FastifyRequest) => sessions.get(request.cookies.sid ?? '');
  const mfa = createMfa({
    registry,
    session: {
      userId: (request) => current(request)?.userId, // signed in by password
      mfaAt: (request) => current(request)?.mfaAt, // when this session last passed MFA
      mfaPassed: (request, reply, { userId, at }) => {
        sessions.delete(request.cookies.sid ?? ''); // a new session id at every privilege change
        const sid = randomBytes(32).toString('base64url');
        sessions.set(sid, { userId, mfaAt: at });
        reply.setCookie('sid', sid, { path: '/', httpOnly: true, sameSite: 'lax', secure: true });
      },
    },
  });
  await app.register(mfa.routes, { prefix: '/mfa' });
  app.post('/transfer', { preHandler: mfa.requireMfa({ maxAgeSeconds: 300 }) }, async () => ({ done: true }));
}
