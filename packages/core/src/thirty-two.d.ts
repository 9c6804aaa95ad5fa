declare module 'thirty-two' {
  const thirtyTwo: {
    encode(plain: Uint8Array | string): Buffer;
    decode(encoded: Uint8Array | string): Buffer;
  };
  export = thirtyTwo;
}
