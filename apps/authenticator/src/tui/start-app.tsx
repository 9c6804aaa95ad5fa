/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Renders the app with Ink and resolves when it exits. Imported lazily: this module is the one that
 * pulls in Ink and React, so subcommands never load them. @mfakit/otpauth (QR codes, URI parsing,
 * transfer formats) loads after the first frame.
 */
import type { Vault } from '@mfakit/vault';
import { render } from 'ink';
import { App, type AppProps } from './App.js';
import { vaultStore } from './account-store.js';
import { systemClipboard } from './clipboard.js';
import { systemClock } from './clock.js';

export async function startApp(vault: Vault, importSource: AppProps['importSource']): Promise<void> {
  const props: Omit<AppProps, 'otpauth'> = {
    store: vaultStore(vault),
    clock: systemClock,
    clipboard: systemClipboard(),
    importSource,
  };
  const app = render(<App {...props} otpauth={undefined} />, { exitOnCtrlC: true });
  // The first frame is on screen; now the part of the app that only key presses need.
  setImmediate(() => {
    import('@mfakit/otpauth').then(
      (otpauth) => app.rerender(<App {...props} otpauth={otpauth} />),
      () => undefined, // the app keeps saying it is still loading; nothing else depends on it
    );
  });
  await app.waitUntilExit();
}
