/**
 * @module
 * `TokenSeedFile`: fake hardware TOTP tokens and the vendor seed file that ships with them
 * (`serial,base32secret,digits,period` lines), so tests can import tokens into a registry and
 * then "press the button" on a token to read its codes.
 */
import { base32Encode, generateSecret } from '@mfakit/core';
import type { Clock } from '@mfakit/registry';
import { VirtualAuthenticator } from './virtual-authenticator.js';

export interface SeedToken {
  serial: string;
  secret: Uint8Array;
  digits: number;
  period: number;
}

export interface TokenSeedFileOptions {
  /** Serials are `prefix` + a zero-padded number. Default `GAHT` (like AWS's Gemalto tokens). */
  serialPrefix?: string;
  /** First serial number. Default 1. */
  firstNumber?: number;
  digits?: number;
  period?: number;
  /** Write a `serial,secret,digits,period` header line. Default true. */
  header?: boolean;
}

export class TokenSeedFile {
  readonly tokens: readonly SeedToken[];
  readonly #header: boolean;

  private constructor(tokens: SeedToken[], header: boolean) {
    this.tokens = Object.freeze(tokens);
    this.#header = header;
  }

  /** `count` tokens with fresh random 20-byte seeds. */
  static generate(count: number, options: TokenSeedFileOptions = {}): TokenSeedFile {
    if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new RangeError('count must be 1-100000');
    const prefix = options.serialPrefix ?? 'GAHT';
    const first = options.firstNumber ?? 1;
    const tokens: SeedToken[] = [];
    for (let i = 0; i < count; i++) {
      tokens.push({
        serial: `${prefix}${String(first + i).padStart(8, '0')}`,
        secret: generateSecret(20),
        digits: options.digits ?? 6,
        period: options.period ?? 30,
      });
    }
    return new TokenSeedFile(tokens, options.header ?? true);
  }

  /** The seed file text, as `Registry.importHardwareTokens` reads it. Contains every secret. */
  get csv(): string {
    const lines = this.tokens.map(
      (token) => `${token.serial},${base32Encode(token.secret).replace(/=+$/, '')},${token.digits},${token.period}`,
    );
    return `${this.#header ? 'serial,secret,digits,period\n' : ''}${lines.join('\n')}\n`;
  }

  token(serial: string): SeedToken {
    const token = this.tokens.find((candidate) => candidate.serial === serial);
    if (token === undefined) throw new RangeError(`no token ${serial} in this seed file`);
    return token;
  }

  /** The token as a device a test can read codes from. */
  device(serial: string, options: { clock: Clock; driftMs?: number }): VirtualAuthenticator {
    const token = this.token(serial);
    return new VirtualAuthenticator(token.secret, {
      ...options,
      digits: token.digits,
      period: token.period,
      label: `hardware token ${serial}`,
    });
  }
}
