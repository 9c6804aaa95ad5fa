/**
 * Runs race-worker.ts as real OS processes: start them, wait until each is ready, release them
 * together, collect their answers; or start a stream and kill it with SIGKILL mid-write.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const WORKER = join(import.meta.dirname, 'race-worker.ts');

interface Worker {
  child: ChildProcess;
  lines: string[];
  next(match: (line: string) => boolean): Promise<string>;
}

function startWorker(job: object): Worker {
  const child = spawn(
    process.execPath,
    ['--conditions=@mfakit/source', '--import', 'tsx', WORKER, JSON.stringify(job)],
    {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let end = buffered.indexOf('\n');
    while (end !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      lines.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(line)) waiter.resolve(line);
        else waiters.push(waiter);
      }
      end = buffered.indexOf('\n');
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}): ${stderr.slice(-2000)}`))),
  );
  exited.catch(() => {});
  return {
    child,
    lines,
    next: (match) =>
      Promise.race([
        new Promise<string>((resolve) => {
          const found = lines.find(match);
          if (found !== undefined) resolve(found);
          else waiters.push({ match, resolve });
        }),
        exited,
      ]),
  };
}

/** Starts one worker per job, releases them together, returns each one's results. */
export async function race(jobs: object[]): Promise<string[][]> {
  const workers = jobs.map(startWorker);
  await Promise.all(workers.map((worker) => worker.next((line) => line === 'ready')));
  for (const worker of workers) worker.child.stdin?.write('go\n');
  const outputs = await Promise.all(workers.map((worker) => worker.next((line) => line.startsWith('['))));
  return outputs.map((line) => JSON.parse(line) as string[]);
}

/** Starts a streaming worker, waits for `progress` lines, then kills it with SIGKILL. */
export async function killMidStream(job: object, afterProgress: number): Promise<void> {
  const worker = startWorker(job);
  await worker.next((line) => line === 'ready');
  worker.child.stdin?.write('go\n');
  await worker.next((line) => line === `progress ${afterProgress}`);
  const gone = new Promise((resolve) => worker.child.on('exit', resolve));
  worker.child.kill('SIGKILL');
  await gone;
}
