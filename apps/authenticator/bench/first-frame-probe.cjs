// Preloaded with `node --require` by bench/startup.ts (CommonJS, because a process started from a
// startup snapshot runs --require preloads but not --import ones): records, into the file named by
// MFAKIT_BENCH_PROBE, the time from the process's start (performance.timeOrigin) to the first write
// to stdout that shows the account list, i.e. the first frame as the app hands it to the terminal,
// and the CPU time (user + system, all threads) the process had used by then, which a busy shared
// machine stretches far less than the wall-clock time.
const { appendFileSync } = require('node:fs');

const file = process.env.MFAKIT_BENCH_PROBE;
const write = process.stdout.write;
let seen = false;
process.stdout.write = function probe(chunk, ...rest) {
  if (!seen && file && String(chunk).includes('accounts')) {
    seen = true;
    const cpu = process.cpuUsage();
    appendFileSync(file, `${performance.now().toFixed(1)} ${((cpu.user + cpu.system) / 1000).toFixed(1)}\n`);
  }
  return write.call(this, chunk, ...rest);
};
