#!/usr/bin/env node
// The installed `mfakit` command: runs the built app. From a clone without a build, use
// `node --conditions=@mfakit/source --import tsx apps/authenticator/src/main.ts` instead.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
