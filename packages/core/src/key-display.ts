/**
 * @module
 * How prepared keys present themselves to `console.log`, `util.inspect`, `JSON.stringify` and
 * string conversion: parameters only, never key material.
 */
export const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export function describeKey(kind: string, parameters: Record<string, string | number>): string {
  const fields = Object.entries(parameters)
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? `'${value}'` : value}`)
    .join(', ');
  return `${kind} { ${fields} }`;
}
