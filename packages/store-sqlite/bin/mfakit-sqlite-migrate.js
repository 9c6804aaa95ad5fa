#!/usr/bin/env node
// The migrate command of the published package (built to dist/). A file in the source tree, so
// that installing the workspace can link it before anything is built.
import '../dist/migrate-cli.js';
