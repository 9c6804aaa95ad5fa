// steam-totp ships no types; the Steam Guard tests use it as the reference implementation.
declare module 'steam-totp' {
  const steamTotp: {
    /** The code at Date.now() + timeOffset seconds. */
    generateAuthCode(secret: Buffer | string, timeOffset?: number): string;
  };
  export default steamTotp;
}
