// The parts of speakeasy 2 and notp 2 used here; neither package ships type declarations.

declare module 'speakeasy' {
  interface TotpOptions {
    secret: string | Buffer;
    encoding?: 'ascii' | 'hex' | 'base32' | 'base64';
    /** Unix time in seconds. */
    time?: number;
    step?: number;
    digits?: number;
  }
  interface Totp {
    (options: TotpOptions): string;
    verify(options: TotpOptions & { token: string; window?: number }): boolean;
  }
  const speakeasy: { totp: Totp };
  export default speakeasy;
}

declare module 'notp' {
  interface HotpOptions {
    counter?: number;
    window?: number;
  }
  const notp: {
    hotp: {
      gen(key: string | Buffer, options?: HotpOptions): string;
      verify(token: string, key: string | Buffer, options?: HotpOptions): { delta: number } | null;
    };
  };
  export default notp;
}
