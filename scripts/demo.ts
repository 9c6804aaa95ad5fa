/**
 * `pnpm demo`: @mfakit/core in a few lines — it enrolls a new TOTP secret the way a server would
 * (two consecutive codes), refuses a replay and accepts a later code. The registry does the same
 * with storage, throttling and audit (packages/registry/README.md).
 */
import { base32Encode, createTotp, generateSecret, verifyConsecutive } from '@mfakit/core';

const secret = generateSecret();
const key = createTotp(secret);
const now = Date.now();

console.log('mfakit core demo: a server-side TOTP enrollment and sign-in, with the time passed in.\n');
console.log(
  `New secret: ${secret.length} random bytes, ${base32Encode(secret).length} base32 characters in the otpauth URI (not printed: secrets stay out of output).`,
);
console.log(`Key: ${String(key)}  (printing a prepared key never shows the secret)\n`);

const previous = key.generate(now - 30_000);
const current = key.generate(now);
const enrolled = verifyConsecutive(secret, previous, current, { at: now });
console.log(`Enrollment with two consecutive codes ${previous} ${current}:`, enrolled);

if (enrolled.ok) {
  const signIn = key.verify(current, { at: now, afterStep: enrolled.step });
  console.log(`Sign-in with ${current} right after enrollment is a replay:`, signIn);
  const next = key.generate(now + 30_000);
  console.log(`Sign-in 30 s later with ${next}:`, key.verify(next, { at: now + 30_000, afterStep: enrolled.step }));
  console.log('A typo is a result, not an exception:', key.verify('12345', { at: now }));
}
key.destroy();
