/**
 * @module
 * Canonical JSON for hashing: object keys sorted by UTF-16 code unit, no whitespace, numbers
 * as `JSON.stringify` writes them. Two stores that round-trip a record through different
 * column types still hash it identically.
 */

/** A JSON value canonical JSON can write. */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue };

/** The canonical JSON text of `value` (sorted keys, no whitespace). */
export function canonicalJson(value: CanonicalValue): string {
  // A switch and plain loops rather than map/join: the audit log seals one record per sign-in.
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError('canonical JSON cannot hold a non-finite number');
      return JSON.stringify(value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i] as CanonicalValue);
    }
    return `${out}]`;
  }
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}
