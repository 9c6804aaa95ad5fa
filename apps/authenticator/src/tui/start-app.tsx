/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Renders the app with Ink and resolves when it exits. Imported lazily: this module is the one that
 * pulls in Ink, React and @mfakit/otpauth (QR codes), so subcommands never load them.
 */
import * as otpauth from '@mfakit/otpauth';
import type { Vault } from '@mfakit/vault';
import { render } from 'ink';
import { App, type AppProps } from './App.js';
import { vaultStore } from './account-store.js';
import { systemClipboard } from './clipboard.js';
import { systemClock } from './clock.js';

export async function startApp(vault: Vault, importSource: AppProps['importSource']): Promise<void> {
  const app = render(
    <App
      store={vaultStore(vault)}
      clock={systemClock}
      clipboard={systemClipboard()}
      otpauth={otpauth}
      importSource={importSource}
    />,
    { exitOnCtrlC: true },
  );
  await app.waitUntilExit();
}
