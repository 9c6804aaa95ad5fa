#!/usr/bin/env node
// Builds the package in the current directory for publishing: removes dist/ (so no file of an
// earlier layout is packed), then compiles src/ with tsconfig.build.json to ESM JavaScript,
// declarations and declaration maps (their sources, src/, are published beside dist/).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
