/**
 * @module
 * `mfakit code QUERY --copy`: the code goes to the clipboard (never to stdout) and is cleared after
 * 30 s if the clipboard still holds it, with the app's clipboard tools (wl-copy, xclip, xsel, pbcopy).
 */
import { CLIPBOARD_CLEAR_MS } from '../tui/app-actions.js';
import { systemClipboard } from '../tui/clipboard.js';
import { CliError } from './cli-error.js';
import type { Context } from './context.js';
import { EXIT } from './exit-codes.js';

export async function copyWithClearing(context: Context, code: string, label: string): Promise<void> {
  const clipboard = systemClipboard();
  if (clipboard.tool === undefined) {
    throw new CliError(
      EXIT.failure,
      'No clipboard tool found (wl-copy, xclip, xsel or pbcopy); run mfakit code without --copy to print the code.',
    );
  }
  try {
    await clipboard.copy(code);
  } catch (error) {
    throw new CliError(EXIT.failure, `Could not copy with ${clipboard.tool}; run without --copy to print the code.`, {
      cause: error,
    });
  }
  clipboard.clearLater(code, CLIPBOARD_CLEAR_MS);
  if (context.json) return;
  context.stderr(`Copied the code of ${label}; the clipboard clears in 30 s.\n`);
}
