/**
 * Steam Guard codes: the stored vectors, an independent reference (node:crypto HMAC-SHA1, RFC 4226
 * §5.3 truncation, Steam's alphabet with integer division) and steam-totp (the library Steam bot
 * authors use) agree for random secrets and times; verification has TOTP's window, drift, replay
 * and malformed-input behaviour; no secret or code in anything a key prints.
 */
import { createHmac } from 'node:crypto';
import { format, inspect } from 'node:util';
import {
  createSteamGuard,
  isMfaError,
  STEAM_GUARD_ALPHABET,
  steamGuardCode,
  totp,
  verifySteamGuard,
} from '@mfakit/core';
import fc from 'fast-check';
import steamTotp from 'steam-totp';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { counterBytes, secretBytes, timeMs } from './support/reference.js';
import steamVectors from './vectors/steam-guard.json' with { type: 'json' };

/** Written from the description of the encoding, sharing no code with @mfakit/core. */
function referenceSteamCode(secret: Uint8Array, atMs: number): string {
  const step = BigInt(Math.floor(Math.floor(atMs / 1000) / 30));
  const mac = createHmac('sha1', secret).update(counterBytes(step)).digest();
  let value = mac.readUInt32BE((mac[19] as number) & 0xf) & 0x7fffffff;
  let code = '';
  for (let i = 0; i < 5; i++) {
    code += STEAM_GUARD_ALPHABET[value % 26];
    value = Math.floor(value / 26);
  }
  return code;
}

/** steam-totp reads the clock: give it `atMs` as "now". */
function steamTotpCode(secret: Uint8Array, atMs: number): string {
  vi.spyOn(Date, 'now').mockReturnValue(atMs);
  try {
    return steamTotp.generateAuthCode(Buffer.from(secret));
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the codes', () => {
  test.each(steamVectors.vectors)('vector $secret at $time s is $code', ({ secret, time, code }) => {
    const bytes = new Uint8Array(Buffer.from(secret, 'base64'));
    expect(steamGuardCode(bytes, { at: time * 1000 })).toBe(code);
    expect(referenceSteamCode(bytes, time * 1000)).toBe(code);
    expect(createSteamGuard(bytes).generateAtStep(Math.floor(time / 30))).toBe(code);
  });

  test('the same as steam-totp and the reference for random secrets and times', () => {
    fc.assert(
      fc.property(secretBytes(), timeMs, (secret, at) => {
        const ours = steamGuardCode(secret, { at });
        expect(ours).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
        expect(ours).toBe(referenceSteamCode(secret, at));
        expect(ours).toBe(steamTotpCode(secret, at));
      }),
      { numRuns: 500 },
    );
  });

  test('a prepared key gives the same codes as the one-off function, step after step', () => {
    const secret = new Uint8Array(Buffer.from(steamVectors.vectors[0]?.secret ?? '', 'base64'));
    const key = createSteamGuard(secret);
    for (let at = 1_700_000_000_000; at < 1_700_000_000_000 + 300_000; at += 7_000) {
      expect(key.generate(at)).toBe(steamGuardCode(secret, { at }));
      expect(key.step(at)).toBe(Math.floor(at / 30_000));
    }
  });

  test('the characters are the same 31-bit value as the decimal TOTP code, written differently', () => {
    // The 10-digit TOTP code of a step is Snum itself (Snum < 2^31 < 10^10), so decoding the Steam
    // code's five characters gives Snum mod 26^5.
    fc.assert(
      fc.property(secretBytes(), timeMs, (secret, at) => {
        const snum = Number(totp(secret, { at, digits: 8 })); // Snum mod 10^8
        const steam = steamGuardCode(secret, { at });
        let decoded = 0;
        for (let i = 4; i >= 0; i--) decoded = decoded * 26 + STEAM_GUARD_ALPHABET.indexOf(steam[i] as string);
        // Both are residues of the same Snum: equal modulo gcd(10^8, 26^5) = 2^5.
        expect(decoded % 32).toBe(snum % 32);
      }),
      { numRuns: 200 },
    );
  });
});

describe('verification', () => {
  const secret = new Uint8Array(Buffer.from('cnOgv/KdpLoP6Nbh0GMkXkPXALQ=', 'base64'));
  const at = 1_700_000_000_000;
  const key = createSteamGuard(secret);
  const step = key.step(at);

  test('the current code, and the neighbours within the window, with their delta', () => {
    expect(verifySteamGuard(secret, key.generate(at), { at })).toEqual({ ok: true, step, delta: 0 });
    expect(key.verify(key.generateAtStep(step - 1), { at })).toEqual({ ok: true, step: step - 1, delta: -1 });
    expect(key.verify(key.generateAtStep(step + 2), { at })).toEqual({ ok: false, reason: 'mismatch' });
    expect(key.verify(key.generateAtStep(step + 2), { at, window: 2 })).toEqual({ ok: true, step: step + 2, delta: 2 });
    expect(key.verify(key.generateAtStep(step + 2), { at, driftSteps: 2, window: 0 })).toMatchObject({ ok: true });
  });

  test('typed in lower case or with spaces it is the same code', () => {
    const code = key.generate(at);
    expect(key.verify(code.toLowerCase(), { at })).toMatchObject({ ok: true });
    expect(key.verify(` ${code.slice(0, 2)} ${code.slice(2)} `, { at })).toMatchObject({ ok: true });
  });

  test('a code at or before afterStep is replayed', () => {
    expect(key.verify(key.generate(at), { at, afterStep: step })).toEqual({ ok: false, reason: 'replayed' });
  });

  test('anything but 5 characters of the alphabet is malformed, and the secret is not used', () => {
    for (const code of ['', '1234', '123456', 'ABCDE', '2B7Q0', '2B7QXX', 'ＢＣＤＦＧ', '2B\t7QX', 'x'.repeat(100)]) {
      expect(key.verify(code, { at })).toEqual({ ok: false, reason: 'malformed' });
    }
    // A destroyed key proves it: verifySteamGuard answers before building one.
    expect(verifySteamGuard(secret, 'AAAAA', { at })).toEqual({ ok: false, reason: 'malformed' });
  });

  test('arguments are checked like TOTP: wrong types, short secrets, wide windows', () => {
    expect(() => verifySteamGuard(secret, 12345 as unknown as string, { at })).toThrow(TypeError);
    expect(() => verifySteamGuard(secret, 'BCDFG', { at, window: 11 })).toThrow(RangeError);
    expect(() => steamGuardCode(new Uint8Array(10), { at })).toThrow(expect.objectContaining({ code: 'weak_secret' }));
    expect(steamGuardCode(new Uint8Array(10), { at, allowShortSecret: true })).toHaveLength(5);
    const destroyed = createSteamGuard(secret);
    destroyed.destroy();
    expect(() => destroyed.generate(at)).toThrow(TypeError);
  });
});

describe('no secret or code in what a key shows', () => {
  test('inspect, format, JSON and string forms name the parameters only', () => {
    const canary = new TextEncoder().encode('CANARY-STEAM-SECRET-0123');
    const key = createSteamGuard(canary);
    const code = key.generate(1_700_000_000_000);
    for (const shown of [inspect(key), format('%o', key), JSON.stringify(key), String(key)]) {
      expect(shown).not.toContain('CANARY');
      expect(shown).not.toContain(Buffer.from(canary).toString('base64').slice(0, 12));
      expect(shown).not.toContain(code);
    }
    try {
      verifySteamGuard(canary.subarray(0, 8), code, { at: 0 });
    } catch (error) {
      expect(isMfaError(error)).toBe(true);
      expect(String(error)).not.toContain('CANARY');
    }
  });
});
