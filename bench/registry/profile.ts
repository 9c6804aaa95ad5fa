/**
 * @module
 * A profiling driver for the registry suite's cases: runs one case for a few seconds with no
 * timing around it, for `node --cpu-prof`. Usage (from the repository root):
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=@mfakit/source --import tsx bench/registry/profile.ts correct-code 1`
 */
import { CODE_KINDS, createRegistryCases } from './cases.js';

const [kind = 'correct-code', devicesText = '1', secondsText = '5'] = process.argv.slice(2);
if (!(CODE_KINDS as readonly string[]).includes(kind))
  throw new RangeError(`case must be one of ${CODE_KINDS.join(', ')}`);
const subject = (await createRegistryCases()).find((c) => c.kind === kind && c.devices === Number(devicesText));
if (subject === undefined) throw new RangeError('devices must be 1 or 8');
const until = performance.now() + Number(secondsText) * 1000;
const batch = Math.min(subject.chunk, 5000);
let operations = 0;
while (performance.now() < until) {
  await subject.prepare(batch);
  if ((await subject.run(batch)) !== batch) throw new Error('wrong answers');
  subject.tidy();
  operations += batch;
}
console.log(`${kind}/${devicesText}: ${operations} operations`);
