import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import { createMfaWorld, signUp, VirtualAuthenticator } from '@mfakit/testing';
import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { type AppSessions, addMfa } from './readme-example.js';

test('the README example is test/readme-example.ts, word for word', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /<!-- example: test\/readme-example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8'));
});

test('the README example adds MFA: /transfer needs the MFA step, which rotates the session', async () => {
  const world = createMfaWorld({ issuer: 'Example' });
  const alice = await signUp(world, { name: 'alice', kind: 'root' });
  const sessions: AppSessions = new Map([['password-only', { userId: alice.id }]]);
  const app = Fastify();
  await app.register(cookie);
  await addMfa(app, world.registry, sessions);
  const post = (url: string, sid: string, body?: object) =>
    app.inject({ method: 'POST', url, cookies: { sid }, ...(body ? { payload: body } : {}) });

  expect((await post('/transfer', 'password-only')).statusCode).toBe(403);
  const created = (await post('/mfa/devices/virtual', 'password-only', { name: 'phone' })).json();
  const phone = VirtualAuthenticator.fromUri(created.otpauthUri, { clock: world.clock });
  const [code1, code2] = phone.nextCodes(2);
  const enabled = await post(`/mfa/devices/${created.deviceId}/enable`, 'password-only', { code1, code2 });
  const sid = enabled.cookies.find((c) => c.name === 'sid')?.value as string;
  expect(sessions.has('password-only')).toBe(false);
  expect((await post('/transfer', sid)).json()).toEqual({ done: true });
  world.clock.advance(301_000);
  expect((await post('/transfer', sid)).statusCode).toBe(403);
  await app.close();
});
