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
  // Echo off before the question shows: a key typed as soon as it appears must not be echoed.
  stdin.setRawMode(true);
  process.stderr.write(question);
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

/** Reads a line with echo on. Ctrl-C aborts with exit 130, Ctrl-D gives an empty answer (as promptHidden). */
export async function promptLine(question: string): Promise<string> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  // readline never calls `question` back on Ctrl-D or Ctrl-C: without these listeners the answer
  // would never come and the process would end on an unsettled await (exit 13), saying nothing.
  let settled = false;
  try {
    return await new Promise<string>((resolve, reject) => {
      readline.question(question, (answer) => {
        settled = true;
        resolve(answer);
      });
      readline.on('SIGINT', () => {
        settled = true;
        process.stderr.write('\n');
        reject(new CliError(EXIT.interrupted, 'Cancelled.'));
      });
      readline.on('close', () => {
        if (settled) return;
        settled = true;
        process.stderr.write('\n');
        resolve('');
      });
    });
  } finally {
    readline.close();
  }
}

/** A new passphrase typed twice; refuses an empty one or a mismatch, warns about a weak one. */
export async function promptNewPassphrase(): Promise<string> {
  // The strength checker (zxcvbn and its word lists) loads while the passphrase is being typed.
  const strength = import('./passphrase-strength.js');
  strength.then((module) => module.loadStrengthChecker()).catch(() => undefined);
  const first = await promptHidden('New passphrase: ');
  if (first === '') throw new CliError(EXIT.invalidInput, 'The passphrase must not be empty.');
  const warning = await (await strength).passphraseWarning(first);
  if (warning !== undefined) {
    process.stderr.write(
      `${wrapWords(`${warning} Type it again to keep it anyway, or Ctrl-C.`, process.stderr.columns)}\n`,
    );
  }
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw new CliError(EXIT.invalidInput, 'The two passphrases differ; nothing was changed.');
  return first;
}

/** Breaks `text` between words so that no line is longer than `width` (default 80) columns. */
export function wrapWords(text: string, width = 80): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}
