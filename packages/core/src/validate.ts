/**
 * @module
 * `@mfakit/core/validate` — the argument checks every mfakit package applies at its API edge, in
 * one place (as @noble/hashes keeps its checks in one module): bytes from any realm, plain
 * objects, integer options, the hash-algorithm list, the canonical form of a typed code and
 * constant-time byte equality.
 *
 * Caller bugs throw `TypeError` (wrong type) or `RangeError` (out of range) with a message that
 * names the argument and never quotes its value when the value could be secret.
 */
export { assertBytes, isBytes } from './bytes.js';
export { canonicalCode, MAX_RAW_CODE_LENGTH } from './code-input.js';
export { constantTimeEqual, constantTimeEqualMask } from './constant-time.js';
export {
  HASH_ALGORITHMS,
  type HashAlgorithm,
  isHashAlgorithm,
  isRfc6238Algorithm,
  RFC_6238_ALGORITHMS,
} from './hash-algorithms.js';
export {
  algorithmArgument,
  algorithmOption,
  assertOptionsObject,
  integerArgument,
  integerOption,
  isIntegerInRange,
  isRecord,
} from './options.js';
