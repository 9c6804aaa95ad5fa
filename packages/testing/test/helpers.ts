import type { VirtualAuthenticator } from '@mfakit/testing';

/** A well-formed code that matches none of the steps around the authenticator's current one. */
export function wrongCode(authenticator: VirtualAuthenticator, spread = 3): string {
  const step = authenticator.step();
  const near = new Set<string>();
  for (let offset = -spread; offset <= spread; offset++) near.add(authenticator.codeAtStep(step + offset));
  for (let digit = 0; digit <= 9; digit++) {
    const candidate = String(digit).repeat(authenticator.digits);
    if (!near.has(candidate)) return candidate;
  }
  throw new Error('unreachable: 10 candidates cannot all be near codes');
}
