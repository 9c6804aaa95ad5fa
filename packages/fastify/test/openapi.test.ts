import { expect, test } from 'vitest';
import { createMfaTestApp } from './support/mfa-app.js';

interface Operation {
  summary?: string;
  requestBody?: { content: Record<string, { schema: { properties: Record<string, { pattern?: string }> } }> };
}

test('@fastify/swagger describes every MFA route with its body schema', async () => {
  const t = await createMfaTestApp({ swagger: true });
  const spec = (t.app as unknown as { swagger(): { paths: Record<string, Record<string, Operation>> } }).swagger();
  const routes = Object.entries(spec.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
    .filter((route) => route.includes('/mfa/'))
    .sort();
  expect(routes).toEqual([
    'DELETE /mfa/devices/{deviceId}',
    'GET /mfa/devices',
    'POST /mfa/devices/hardware',
    'POST /mfa/devices/virtual',
    'POST /mfa/devices/{deviceId}/enable',
    'POST /mfa/devices/{deviceId}/resync',
    'POST /mfa/recovery-codes',
    'POST /mfa/recovery/complete',
    'POST /mfa/recovery/start',
    'POST /mfa/security-keys/registration/begin',
    'POST /mfa/security-keys/registration/finish',
    'POST /mfa/sign-in/code',
    'POST /mfa/sign-in/recovery-code',
    'POST /mfa/sign-in/security-key/begin',
    'POST /mfa/sign-in/security-key/finish',
  ]);
  const signIn = spec.paths['/mfa/sign-in/code']?.post;
  expect(signIn?.summary).toMatch(/MFA step/);
  expect(signIn?.requestBody?.content['application/json']?.schema.properties.code?.pattern).toBe('^[0-9 ]+$');
  await t.close();
});
