/**
 * @module
 * Entry of the start-up snapshot experiment (build.mjs bundles it into one CommonJS file and runs
 * `node --build-snapshot` on it). At build time it evaluates what the first frame and `mfakit code`
 * need — main, the code command, the vault, Ink, React and the app's screens — and nothing else: no
 * vault is opened, no key is read. The QR code, import and export modules are in the bundle too but
 * are evaluated when first used, as in the ESM bundle. Started with
 * `node --snapshot-blob mfakit.blob -- ARGS`, Node deserialises that heap and calls the main function
 * below, which does what bin/mfakit.js does.
 */
import './build-guards.js';
// @ts-expect-error virtual module of build.mjs
import { refreshColorLevel } from 'mfakit:chalk';
// @ts-expect-error virtual module of build.mjs
import { loadYogaWasm } from 'mfakit:yoga';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import * as vault from '@mfakit/vault';
import { main } from '../../src/main.js';
import '../../src/commands/code.js';
import '../../src/tui/run-tui.js';
import '../../src/tui/start-app.js';

declare global {
  /** Set when the process starts from the blob; build.mjs points the bundle's loose ends at it. */
  var __mfakitSnapshot: { require: NodeJS.Require; appUrl: string; yoga: () => Promise<void> } | undefined;
}

// Node 20 leaves console.Console out of the console of a deserialised snapshot (it is undefined
// there, while present at build time); Ink's patch-console constructs one.
const { Console } = console;

startupSnapshot.setDeserializeMainFunction(
  async () => {
    console.Console ??= Console;
    refreshColorLevel();
    // `node --snapshot-blob <app>/dist/snapshot/mfakit.blob`: native addons and package.json are
    // found from the blob's place, since a snapshot has no script path.
    const blob = process.execArgv[process.execArgv.indexOf('--snapshot-blob') + 1] as string;
    const appDir = resolve(dirname(blob), '../..');
    let yoga: Promise<void> | undefined;
    globalThis.__mfakitSnapshot = {
      require: createRequire(join(appDir, 'package.json')),
      appUrl: pathToFileURL(join(appDir, 'dist/snapshot/main.js')).href,
      yoga: () => {
        yoga ??= loadYogaWasm();
        return yoga as Promise<void>;
      },
    };
    process.exitCode = await main(process.argv.slice(1));
  },
  // Passed so that the vault is evaluated now: its package says it has no side effects, so a bare
  // import of it would be dropped.
  [vault],
);
