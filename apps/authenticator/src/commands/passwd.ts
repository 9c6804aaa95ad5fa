/**
 * @module
 * `mfakit passwd`: sets or changes the vault's passphrase slot. The new passphrase comes from
 * MFAKIT_NEW_PASSPHRASE (scripts) or is typed twice.
 */
import { CliError } from '../cli/cli-error.js';
import { type Context, printJson, withVault } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { canPrompt, promptNewPassphrase } from '../cli/prompt.js';

export async function passwdCommand(context: Context, scryptLogN: number | undefined): Promise<void> {
  await withVault(context, async (vault) => {
    const fromEnv = context.env.MFAKIT_NEW_PASSPHRASE;
    let passphrase: string;
    if (fromEnv !== undefined && fromEnv !== '') passphrase = fromEnv;
    else if (canPrompt()) passphrase = await promptNewPassphrase();
    else
      throw new CliError(
        EXIT.locked,
        'Give the new passphrase in MFAKIT_NEW_PASSPHRASE, or run mfakit passwd in a terminal.',
      );
    await vault.changePassphrase(passphrase, scryptLogN === undefined ? {} : { scryptLogN });
    const slots = vault.slots.map((slot) => slot.type);
    if (context.json) printJson(context, { path: vault.path, slots });
    else context.stderr(`Passphrase set; the vault unlocks with: ${slots.join(' or ')}.\n`);
  });
}
