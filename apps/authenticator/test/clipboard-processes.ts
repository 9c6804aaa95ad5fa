/**
 * @module
 * What the process table shows, for the clipboard tests: command lines (what `ps` shows every user)
 * and environments (what /proc shows only the same user), and polling until something holds.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The command line of every process, as `ps -eo args` shows them to any user of the machine. */
export function commandLines(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
}

/**
 * Live processes whose environment has the exact entry `NAME=value`, or an entry whose value
 * contains `value` when `entry` has no `=`. Zombies have an empty environ and never count.
 */
export function processesWithEnvironment(entry: string): number[] {
  const matches = (variable: string) => (entry.includes('=') ? variable === entry : variable.includes(entry));
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    if (environ.split('\0').some(matches)) pids.push(Number(name));
  }
  return pids;
}

/** Polls `predicate` every 25 ms; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
