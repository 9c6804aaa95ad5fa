// thirty-two ships no types; the tests use it as an independent base32 codec to cross-check ours.
declare module 'thirty-two' {
  const thirtyTwo: {
    encode(plain: Uint8Array | string): Buffer;
    decode(encoded: Uint8Array | string): Buffer;
  };
  export default thirtyTwo;
}
