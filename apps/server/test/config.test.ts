import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';

describe('server command line', () => {
  it('takes a leading -- (what `pnpm run server -- --port 0` passes) as separating nothing', () => {
    expect(parseConfig(['--', '--port', '0', '--host', '127.0.0.1'], {})).toMatchObject({ port: 0, host: '127.0.0.1' });
    expect(parseConfig(['--port', '8080'], {})).toMatchObject({ port: 8080 });
  });

  it('refuses unknown options and bad ports with a clear error', () => {
    expect(() => parseConfig(['--prot', '1'], {})).toThrow(/prot/);
    expect(() => parseConfig(['--port', '70000'], {})).toThrow(RangeError);
    expect(() => parseConfig(['--', '--', '--port', '1'], {})).toThrow();
  });
});
