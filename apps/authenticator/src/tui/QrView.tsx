/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Full-screen QR codes (one account, or the pages of a Google Authenticator transfer) with the
 * compatibility warnings of what is exported. Drawn with half blocks, pinned white on black so it
 * scans on a light theme too, beside its text when the terminal is wide enough; when the terminal
 * is too small for the code it says how large it must be instead of drawing a clipped code (a
 * resize redraws). ←/→ or n/p page; g (one account's code): all accounts; any other key closes.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { QrLayout } from '../qr/qr-layout.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface QrPage {
  title: string;
  /** What the code holds (an otpauth or otpauth-migration URI). */
  text: string;
  warnings: string[];
}

export function QrView({
  pages,
  layout: layoutQr,
  onClose,
  onAll,
}: {
  pages: QrPage[];
  /** The QR drawing (src/qr), loaded after the first frame with @mfakit/otpauth. */
  layout: (text: string, terminal: { columns: number; rows: number }, warnings: number) => QrLayout;
  onClose: () => void;
  onAll?: () => void;
}) {
  const [index, setIndex] = useState(0);
  const terminal = useTerminalSize();
  useInput((input, key) => {
    if ((key.rightArrow || input === 'n') && index < pages.length - 1) setIndex(index + 1);
    else if ((key.leftArrow || input === 'p') && index > 0) setIndex(index - 1);
    else if (input === 'g' && onAll !== undefined) onAll();
    else if (!key.rightArrow && !key.leftArrow && input !== 'n' && input !== 'p') onClose();
  });
  const page = pages[index];
  if (page === undefined) return null;
  const title = `${page.title}${pages.length > 1 ? ` — ${index + 1} of ${pages.length} (←/→)` : ''}`;
  const hint =
    onAll === undefined
      ? 'Any key closes.'
      : 'g: all accounts as Google Authenticator QR codes · any other key closes.';
  const warnings = page.warnings.map((warning) => `! ${warning}`);
  const layout = layoutQr(page.text, terminal, warnings.length);
  if (layout.kind === 'too-small') {
    return (
      <Box flexDirection="column">
        <Text bold>{title}</Text>
        <Text color="yellow">
          {`Enlarge the terminal to at least ${layout.needs.columns}×${layout.needs.rows} to show this QR code (it is ${terminal.columns}×${terminal.rows}).`}
        </Text>
        <Text dimColor>{hint}</Text>
      </Box>
    );
  }
  const code = (
    <Text color="white" backgroundColor="black">
      {layout.qr.text}
    </Text>
  );
  if (layout.kind === 'stacked') {
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          {title}
        </Text>
        {warnings.map((warning) => (
          <Text key={warning} color="yellow" wrap="truncate-end">
            {warning}
          </Text>
        ))}
        {code}
        <Text dimColor wrap="truncate-end">
          {hint}
        </Text>
      </Box>
    );
  }
  return (
    <Box>
      <Box flexShrink={0}>{code}</Box>
      <Box flexDirection="column" marginLeft={2} width={layout.textColumns}>
        <Text bold>{title}</Text>
        {warnings.map((warning) => (
          <Text key={warning} color="yellow">
            {warning}
          </Text>
        ))}
        <Text dimColor>{hint}</Text>
      </Box>
    </Box>
  );
}
