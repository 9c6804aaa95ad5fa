/**
 * The browser bundle of @mfakit/core + @mfakit/otpauth runs in a `node:vm` context that has the
 * Web platform's globals and nothing of Node's (no `Buffer`, `process`, `require`, `module`), and
 * gives exactly the outputs the same checks give in Node from the sources. Bytes made in the Node
 * realm (foreign to the context) are accepted as secrets.
 */
import { createContext, runInContext, runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, test } from 'vitest';
import { bundlePortableChecks } from './bundle.js';
import { type PortableReport, runPortableChecks } from './portable-checks.js';

/** Web-standard globals an edge runtime offers; deliberately nothing Node-specific. */
function webGlobals(): Record<string, unknown> {
  return {
    TextEncoder,
    TextDecoder,
    crypto: globalThis.crypto,
    CompressionStream,
    DecompressionStream,
    Blob,
    Response,
    ReadableStream,
    WritableStream,
    TransformStream,
    URL,
    URLSearchParams,
    atob,
    btoa,
    queueMicrotask,
    setTimeout,
    clearTimeout,
    structuredClone,
    console,
  };
}

let bundle: string;
let nodeReport: PortableReport;

beforeAll(async () => {
  bundle = await bundlePortableChecks();
  // In Node, the foreign bytes come from a fresh vm context.
  nodeReport = await runPortableChecks(
    (values) => runInNewContext(`new Uint8Array(${JSON.stringify(values)})`) as Uint8Array,
  );
});

describe('the browser bundle in a node:vm context without Node globals', () => {
  test('the context really has no Buffer, process, require or module', () => {
    const context = createContext(webGlobals());
    expect(
      runInContext('[typeof Buffer, typeof process, typeof require, typeof module, typeof global]', context),
    ).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  });

  test('the bundle calls no Buffer and requires nothing', () => {
    // (`process` does appear, in @bufbuild/protobuf's guarded `typeof process` feature test; the
    // run below, in a context without `process`, is what proves it is never needed.)
    expect(bundle).not.toMatch(/\bBuffer\.(from|alloc|byteLength|isBuffer|concat)\b/);
    expect(bundle).not.toMatch(/\brequire\(/);
  });

  test('every check passes and the outputs equal Node’s', async () => {
    const context = createContext(webGlobals());
    runInContext(bundle, context, { filename: 'portable-checks.bundle.js' });
    // Bytes of the Node realm are foreign to the context: they must be accepted as secrets.
    const run = context.mfakitPortableChecks as typeof runPortableChecks;
    const report = await run((values) => new Uint8Array(values));
    expect(report.failures).toEqual([]);
    expect(report.checks).toBe(nodeReport.checks);
    expect(nodeReport.failures).toEqual([]);
    expect(JSON.parse(JSON.stringify(report.outputs))).toEqual(nodeReport.outputs);
    expect(report.pngBase64).toBe(nodeReport.pngBase64);
  });
});
