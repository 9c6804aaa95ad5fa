/**
 * @module
 * `TokenSeedFile`: fake hardware TOTP tokens and the vendor seed file that ships with them
 * (`serial,base32secret,digits,period` lines), so tests can import tokens into a registry and
 * then "press the button" on a token to read its codes.
 */
import { base32Encode, generateSecret } from '@mfakit/core';
import type { Clock } from '@mfakit/registry';
import { VirtualAuthenticator } from './virtual-authenticator.js';

/** One fake hardware token: its serial and its seed, as the vendor's file lists it. */
export interface SeedToken {
  /** The serial printed on the token (`GAHT00000001`). */
  serial: string;
  /** The raw seed (20 random bytes): a live secret, keep it out of logs and snapshots. */
  secret: Uint8Array;
  /** Code length. */
  digits: number;
  /** Time step in seconds. */
  period: number;
}

/** Options of {@link TokenSeedFile.generate}. */
export interface TokenSeedFileOptions {
  /** Serials are `prefix` + a zero-padded number. Default `GAHT` (like AWS's Gemalto tokens). */
  serialPrefix?: string;
  /** First serial number. Default 1. */
  firstNumber?: number;
  /** Code length of every token. Default 6. */
  digits?: number;
  /** Time step of every token, in seconds. Default 30. */
  period?: number;
  /** Write a `serial,secret,digits,period` header line. Default true. */
  header?: boolean;
}

/**
 * A batch of fake hardware TOTP tokens and their vendor seed file (`serial,base32secret,digits,period`
 * lines, as `Registry.importHardwareTokens` reads them). The seeds come from the system CSPRNG
 * and live in memory in the clear, like the file a vendor ships: test material only.
 *
 * @example
 * ```ts
 * const seeds = TokenSeedFile.generate(3);
 * await registry.importHardwareTokens(seeds.csv);
 * const token = seeds.device('GAHT00000001', { clock });
 * ```
 */
export class TokenSeedFile {
  /** Every token in the file, in serial order. */
  readonly tokens: readonly SeedToken[];
  readonly #header: boolean;

  private constructor(tokens: SeedToken[], header: boolean) {
    this.tokens = Object.freeze(tokens);
    this.#header = header;
  }

  /**
   * `count` tokens (1–100 000) with fresh random 20-byte seeds (RFC 4226 §4 R6 recommends 160
   * bits) and consecutive serials. Throws `RangeError` for any other count.
   */
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

  /** The token with this serial; throws `RangeError` if the file has none. */
  token(serial: string): SeedToken {
    const token = this.tokens.find((candidate) => candidate.serial === serial);
    if (token === undefined) throw new RangeError(`no token ${serial} in this seed file`);
    return token;
  }

  /**
   * The token as a device a test can read codes from, on `clock` plus `driftMs` (the token's own
   * clock error). Throws `RangeError` for an unknown serial.
   */
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
