/**
 * A Fastify app with the MFA routes on a registry in a fake world (fake clock, memory store,
 * memory notifier), a toy session kept in a map (header `x-session`; rotated on every MFA pass,
 * the new id in the `x-session` response header), and a pino logger whose every line (level
 * trace) is kept in `logs` for the canary tests.
 */
import { Writable } from 'node:stream';
import type { UserRecord } from '@mfakit/registry';
import { createMfaWorld, type MfaWorld, VirtualAuthenticator } from '@mfakit/testing';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { createMfa, type Mfa } from '../../src/index.js';

export interface TestSession {
  userId: string;
  mfaAt?: number;
}

export interface MfaTestApp {
  app: FastifyInstance;
  world: MfaWorld;
  mfa: Mfa;
  sessions: Map<string, TestSession>;
  logs: string[];
  /** A session for `user` (first factor passed, no MFA yet); returns its id. */
  signInByPassword(user: UserRecord): string;
  post(url: string, sid: string | undefined, body?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createMfaTestApp(options: { swagger?: boolean } = {}): Promise<MfaTestApp> {
  const world = createMfaWorld({ issuer: 'Example' });
  const sessions = new Map<string, TestSession>();
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const app = Fastify({ logger: { level: 'trace', stream } });
  let next = 0;
  const sessionOf = (sid: unknown) => (typeof sid === 'string' ? sessions.get(sid) : undefined);
  const mfa = createMfa({
    registry: world.registry,
    session: {
      userId: (request) => sessionOf(request.headers['x-session'])?.userId,
      mfaAt: (request) => sessionOf(request.headers['x-session'])?.mfaAt,
      mfaPassed: (request, reply, passed) => {
        const old = request.headers['x-session'] as string;
        sessions.delete(old);
        const sid = `s${++next}`;
        sessions.set(sid, { userId: passed.userId, mfaAt: passed.at });
        reply.header('x-session', sid);
      },
    },
  });
  if (options.swagger) {
    const swagger = await import('@fastify/swagger');
    await app.register(swagger.default, { openapi: { info: { title: 'MFA', version: '1' } } });
  }
  await app.register(mfa.routes, { prefix: '/mfa' });
  app.post('/transfer', { preHandler: mfa.requireMfa({ maxAgeSeconds: 300 }) }, async () => ({ done: true }));
  app.get('/settings', { preHandler: mfa.requireMfa() }, async () => ({ settings: true }));
  await app.ready();
  return {
    app,
    world,
    mfa,
    sessions,
    logs,
    signInByPassword(user) {
      const sid = `s${++next}`;
      sessions.set(sid, { userId: user.id });
      return sid;
    },
    post(url, sid, body) {
      return app.inject({
        method: 'POST',
        url,
        headers: sid === undefined ? {} : { 'x-session': sid },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
    },
    async close() {
      await app.close();
    },
  };
}

/** Adds an authenticator app over HTTP: create, scan the otpauth URI, two consecutive codes. */
export async function enrollOverHttp(
  t: MfaTestApp,
  sid: string,
  name = 'phone',
): Promise<{ deviceId: string; authenticator: VirtualAuthenticator; sid: string; secret: string }> {
  const created = await t.post('/mfa/devices/virtual', sid, { name });
  if (created.statusCode !== 201) throw new Error(`create answered ${created.statusCode}: ${created.body}`);
  const { deviceId, otpauthUri, secret } = created.json() as { deviceId: string; otpauthUri: string; secret: string };
  const authenticator = VirtualAuthenticator.fromUri(otpauthUri, { clock: t.world.clock });
  const [code1, code2] = authenticator.nextCodes(2);
  const enabled = await t.post(`/mfa/devices/${deviceId}/enable`, sid, { code1, code2 });
  if (enabled.statusCode !== 200) throw new Error(`enable answered ${enabled.statusCode}: ${enabled.body}`);
  t.world.clock.nextStep();
  return { deviceId, authenticator, sid: enabled.headers['x-session'] as string, secret };
}
