// Loaded with `node --import` by bench/startup.ts: records, into the file named by
// MFAKIT_BENCH_PROBE, the time from the process's start (performance.timeOrigin) to the first write
// to stdout that shows the account list, i.e. the first frame as the app hands it to the terminal.
import { appendFileSync } from 'node:fs';

const file = process.env.MFAKIT_BENCH_PROBE;
const write = process.stdout.write;
let seen = false;
process.stdout.write = function probe(chunk, ...rest) {
  if (!seen && file && String(chunk).includes('accounts')) {
    seen = true;
    appendFileSync(file, `${performance.now().toFixed(1)}\n`);
  }
  return write.call(this, chunk, ...rest);
};
