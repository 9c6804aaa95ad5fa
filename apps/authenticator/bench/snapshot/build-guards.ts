/**
 * @module
 * Imported first by entry.ts. While the snapshot is built, crypto.randomUUID and crypto.randomInt
 * throw: Node serves both from a pool of random bytes kept in the JavaScript heap, so a call at build
 * time would put that pool in the blob and every start would draw the same "random" ids (tested: two
 * starts of such a blob print the same UUID on Node 20.20; newer Node lines may have fixed it —
 * not checked here, so the guard stays). Math.random is reseeded by V8 for each start, and randomBytes/getRandomValues
 * ask OpenSSL each time; neither keeps state in the heap.
 */
import crypto from 'node:crypto';
import { startupSnapshot } from 'node:v8';

for (const name of ['randomUUID', 'randomInt'] as const) {
  const real = crypto[name];
  const refuse = () => {
    throw new Error(`crypto.${name} was called while the snapshot was built: its random pool would be in the blob`);
  };
  Object.assign(crypto, { [name]: refuse });
  startupSnapshot.addDeserializeCallback(() => {
    Object.assign(crypto, { [name]: real });
  });
}
