import { parseOtpauthUri } from '@mfakit/otpauth';
import { createMfaWorld, signUp } from '@mfakit/testing';
import { expect, test } from 'vitest';

test('createVirtualDevice returns an otpauth URI for issuer:user with the secret, and SVG/PNG QR codes of it', async () => {
  const world = createMfaWorld({ issuer: 'Example Corp' });
  const user = await signUp(world, { name: 'ann@example.test' });
  const enrollment = await world.registry.createVirtualDevice(user.id, { name: 'phone' });
  const account = parseOtpauthUri(enrollment.otpauthUri);
  expect(account).toMatchObject({
    type: 'totp',
    issuer: 'Example Corp',
    account: 'ann@example.test',
    digits: 6,
    period: 30,
  });
  expect(account.secret).toEqual(enrollment.secret);
  expect(enrollment.secret).toHaveLength(20);
  expect(enrollment.expiresAt).toBe(world.clock.now() + 600_000);
  expect(await enrollment.qrSvg()).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  const png = await enrollment.qrPng();
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});
