/**
 * @module
 * Reading a passphrase or a yes/no answer from the terminal without echoing the passphrase.
 * Only used when stdin is a TTY; scripts give MFAKIT_PASSPHRASE instead.
 */
import { createInterface } from 'node:readline';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';

export function canPrompt(): boolean {
  return process.stdin.isTTY === true;
}

/** Reads a line with echo off. Ctrl-C aborts with exit 130, Ctrl-D with an empty answer. */
export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let answer = '';
      const onData = (chunk: string) => {
        for (const character of chunk) {
          if (character === '\r' || character === '\n' || character === '\u0004') {
            stdin.off('data', onData);
            resolve(answer);
            return;
          }
          if (character === '\u0003') {
            stdin.off('data', onData);
            reject(new CliError(EXIT.interrupted, 'Cancelled.'));
            return;
          }
          if (character === '\u007f' || character === '\b') answer = answer.slice(0, -1);
          else answer += character;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

export async function promptLine(question: string): Promise<string> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string>((resolve) => readline.question(question, resolve));
  } finally {
    readline.close();
  }
}

/** A new passphrase typed twice; refuses an empty one or a mismatch. */
export async function promptNewPassphrase(): Promise<string> {
  const first = await promptHidden('New passphrase: ');
  if (first === '') throw new CliError(EXIT.invalidInput, 'The passphrase must not be empty.');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw new CliError(EXIT.invalidInput, 'The two passphrases differ; nothing was changed.');
  return first;
}
