#!/usr/bin/env node
// The installed `mfakit` command: runs the built app (the bundle when present). From a clone
// without a build: node --conditions=@mfakit/source --import tsx apps/authenticator/src/main.ts
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : new URL('../dist/main.js', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
