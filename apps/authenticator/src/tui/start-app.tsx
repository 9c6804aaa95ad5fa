/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Renders the app with Ink on the alternate screen and resolves when it exits. Imported lazily:
 * this module is the one that pulls in Ink and React, so subcommands never load them.
 * @mfakit/otpauth (URI parsing, transfer formats) and the QR drawing load after the first frame.
 */
import type { Vault } from '@mfakit/vault';
import { render } from 'ink';
import { App, type AppProps } from './App.js';
import { vaultStore } from './account-store.js';
import { CLEAR_SCREEN, enterAlternateScreen } from './alternate-screen.js';
import { systemClipboard } from './clipboard.js';
import { systemClock } from './clock.js';

/**
 * How the app ended: quit by the user, locked after idling, or asked to reload the vault from
 * disk (in both last cases the caller opens the vault again).
 */
export type AppEnd = 'quit' | 'locked' | 'reload';

export async function startApp(
  vault: Vault,
  importSource: AppProps['importSource'],
  lockAfterMs: number | undefined,
  initialStatus?: AppProps['initialStatus'],
): Promise<AppEnd> {
  let end: AppEnd = 'quit';
  // Once the app has exited nothing may render it again: a late rerender (@mfakit/otpauth arriving
  // after a quick Ctrl-C) would mount it anew, with its timers and raw stdin keeping the process alive.
  let exited = false;
  const props: Omit<AppProps, 'otpauth'> = {
    store: vaultStore(vault),
    clock: systemClock,
    clipboard: systemClipboard(),
    importSource,
    lockAfterMs,
    onLock: () => {
      end = 'locked';
    },
    onReload: () => {
      end = 'reload';
    },
    initialStatus,
    onExit: () => {
      exited = true;
    },
  };
  let otpauth: AppProps['otpauth'];
  let qr: AppProps['qr'];
  let repaints = 0;
  const app = () => <App {...props} otpauth={otpauth} qr={qr} repaint={repaints} />;
  let instance: ReturnType<typeof render> | undefined;
  const rerender = () => {
    if (!exited) instance?.rerender(app());
  };
  const leaveAlternateScreen = enterAlternateScreen(process.stdout, () => {
    exited = true;
    instance?.unmount();
  });
  // Raw mode before the first frame: Ink turns it on in an effect after drawing, and a Ctrl-C typed
  // in between would reach the process as SIGINT (exit 130) instead of as the list's quit key; in
  // raw mode it waits in stdin until Ink reads it.
  const stdin = process.stdin;
  const rawEarly = stdin.isTTY === true && !stdin.isRaw;
  if (rawEarly) stdin.setRawMode(true);
  try {
    instance = render(app(), { exitOnCtrlC: false });
    // A resize reflows the terminal's old frame in ways Ink cannot erase: clear the screen, and make
    // Ink write the whole frame again (it skips a frame equal to the last one it wrote).
    const repaint = () => {
      process.stdout.write(CLEAR_SCREEN);
      repaints += 1;
      rerender();
    };
    process.stdout.on('resize', repaint);
    // The first frame is on screen; now the part of the app that only key presses need.
    setImmediate(() => {
      Promise.all([import('@mfakit/otpauth'), import('../qr/qr-layout.js')]).then(
        ([otpauthModule, qrModule]) => {
          otpauth = otpauthModule;
          qr = qrModule;
          rerender();
        },
        () => undefined, // the app keeps saying it is still loading; nothing else depends on it
      );
    });
    try {
      await instance.waitUntilExit();
    } finally {
      exited = true;
      process.stdout.off('resize', repaint);
    }
  } finally {
    if (rawEarly && stdin.isTTY === true) stdin.setRawMode(false);
    leaveAlternateScreen();
  }
  return end;
}
