#!/usr/bin/env node
/**
 * @module
 * `mfakit` entry point. With no command it starts the interactive app; otherwise it runs one
 * subcommand. Everything is imported lazily so that `mfakit code` loads only the vault and core
 * (no React, Ink or QR code libraries).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError, usageError } from './cli/cli-error.js';
import { defaultContext } from './cli/context.js';
import { EXIT } from './cli/exit-codes.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const GLOBAL: Options = {
  vault: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

const FIELDS: Options = {
  issuer: { type: 'string' },
  account: { type: 'string' },
};

const COMMANDS: Record<string, Options> = {
  init: { keychain: { type: 'boolean' }, passphrase: { type: 'boolean' }, 'scrypt-log-n': { type: 'string' } },
  add: {
    ...FIELDS,
    uri: { type: 'string' },
    secret: { type: 'string' },
    type: { type: 'string' },
    digits: { type: 'string' },
    period: { type: 'string' },
    algorithm: { type: 'string' },
    counter: { type: 'string' },
    note: { type: 'string' },
  },
  list: { show: { type: 'boolean' } },
  code: { copy: { type: 'boolean', short: 'c' } },
  codes: {},
  import: { password: { type: 'string' } },
  export: {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    password: { type: 'string' },
    qr: { type: 'boolean' },
  },
  remove: { yes: { type: 'boolean', short: 'y' } },
  rename: FIELDS,
  passwd: { 'scrypt-log-n': { type: 'string' } },
  tui: { 'lock-after': { type: 'string' } },
};

export async function main(rawArgv: readonly string[]): Promise<number> {
  // `pnpm start -- code github` passes the "--" on: it separates nothing for mfakit.
  const argv = rawArgv[0] === '--' ? rawArgv.slice(1) : rawArgv;
  try {
    const first = argv[0];
    const command = first !== undefined && !first.startsWith('-') ? first : 'tui';
    const specific = COMMANDS[command];
    if (specific === undefined) throw usageError(`unknown command "${command}"`);
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: command === first ? argv.slice(1) : [...argv],
        options: { ...GLOBAL, ...specific },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw usageError(argumentProblem(error, command));
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const positionals = parsed.positionals;
    if (values.help === true) {
      const { HELP } = await import('./cli/help.js');
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    if (values.version === true) {
      process.stdout.write(`${await version()}\n`);
      return EXIT.ok;
    }
    const context = defaultContext(values.vault as string | undefined, values.json === true);
    const string = (name: string) => values[name] as string | undefined;
    const at = (count: number, usage: string) => {
      if (positionals.length !== count) throw usageError(`usage: mfakit ${command} ${usage}`);
      return positionals;
    };
    switch (command) {
      case 'tui': {
        at(0, '');
        const { runTui } = await import('./tui/run-tui.js');
        return await runTui(context, string('lock-after'));
      }
      case 'init': {
        at(0, '[--keychain] [--passphrase]');
        const { initCommand } = await import('./commands/init.js');
        await initCommand(context, {
          keychain: values.keychain === true,
          passphrase: values.passphrase === true,
          scryptLogN: scryptLogN(string('scrypt-log-n')),
        });
        break;
      }
      case 'add': {
        at(0, '--uri URI | --issuer I --account A --secret S');
        const { addCommand } = await import('./commands/add.js');
        await addCommand(context, {
          uri: string('uri'),
          issuer: string('issuer'),
          account: string('account'),
          secret: string('secret'),
          type: string('type'),
          digits: string('digits'),
          period: string('period'),
          algorithm: string('algorithm'),
          counter: string('counter'),
          note: string('note'),
        });
        break;
      }
      case 'list': {
        if (positionals.length > 1) throw usageError('usage: mfakit list [QUERY]');
        const { listCommand } = await import('./commands/list.js');
        await listCommand(context, positionals[0], values.show === true);
        break;
      }
      case 'code': {
        const [query] = at(1, 'QUERY');
        const { codeCommand } = await import('./commands/code.js');
        await codeCommand(context, query as string, values.copy === true);
        break;
      }
      case 'codes': {
        if (positionals.length > 1) throw usageError('usage: mfakit codes [QUERY]');
        const { codesCommand } = await import('./commands/codes.js');
        await codesCommand(context, positionals[0]);
        break;
      }
      case 'import': {
        const [source] = at(1, 'FILE|URI|-');
        const { importCommand } = await import('./commands/import.js');
        await importCommand(context, source as string, string('password'));
        break;
      }
      case 'export': {
        if (positionals.length > 1) throw usageError('usage: mfakit export [QUERY] --format uri|qr|ga|aegis');
        const format = string('format');
        if (format === undefined) throw usageError('export needs --format uri|qr|ga|aegis');
        const { exportCommand } = await import('./commands/export.js');
        await exportCommand(context, positionals[0], {
          format,
          output: string('output'),
          password: string('password'),
          qr: values.qr === true,
        });
        break;
      }
      case 'remove': {
        const [query] = at(1, 'QUERY [--yes]');
        const { removeCommand } = await import('./commands/remove.js');
        await removeCommand(context, query as string, values.yes === true);
        break;
      }
      case 'rename': {
        const [query] = at(1, 'QUERY [--issuer I] [--account A]');
        const { renameCommand } = await import('./commands/rename.js');
        await renameCommand(context, query as string, { issuer: string('issuer'), account: string('account') });
        break;
      }
      case 'passwd': {
        at(0, '[--scrypt-log-n N]');
        const { passwdCommand } = await import('./commands/passwd.js');
        await passwdCommand(context, scryptLogN(string('scrypt-log-n')));
        break;
      }
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

function scryptLogN(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 15 || value > 18) throw usageError('--scrypt-log-n must be 15 to 18');
  return value;
}

/** The package version, from the nearest package.json of this package (src/, dist/ and dist/bundle/ differ in depth). */
async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const packageJson = JSON.parse(await readFile(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (packageJson.name === '@mfakit/authenticator') return packageJson.version;
    } catch {
      // not at this depth
    }
  }
  return 'unknown';
}

function reportError(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`mfakit: ${error.message}\n`);
    for (const line of error.details) process.stderr.write(`${line}\n`);
    return error.exitCode;
  }
  // Unexpected: say what kind of error it was, not its data (a message could quote input).
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof TypeError || error instanceof RangeError ? `: ${error.message}` : '';
  process.stderr.write(`mfakit: unexpected ${name}${message}. Please report this.\n`);
  return EXIT.failure;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}

/**
 * Node's parseArgs errors, said for mfakit: "Unknown option '--bogus'" and the like, without
 * Node's advice about "--" and positionals, which mfakit's commands do not take that way.
 */
function argumentProblem(error: unknown, command: string): string {
  const code = (error as { code?: string }).code;
  const option = /'(-{1,2}[^'\s]+)/.exec((error as Error).message)?.[1];
  const where = command === 'tui' ? 'mfakit' : `mfakit ${command}`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `${where} has no option ${option ?? ''}`.trimEnd();
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const takesNone = /does not take an argument/.test((error as Error).message);
    return `${option ?? 'an option'} ${takesNone ? 'takes no value' : 'needs a value'}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `${where} takes no such argument`;
  return (error as Error).message.split('\n')[0] ?? 'invalid arguments';
}
