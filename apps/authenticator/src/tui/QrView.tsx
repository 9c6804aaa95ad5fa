/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Full-screen terminal QR codes (one account, or the pages of a Google Authenticator transfer),
 * with the compatibility warnings of what is being exported. ←/→ or n/p page; any other key closes.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';

export interface QrPage {
  title: string;
  qr: string;
  warnings: string[];
}

export function QrView({ pages, onClose, onAll }: { pages: QrPage[]; onClose: () => void; onAll?: () => void }) {
  const [index, setIndex] = useState(0);
  useInput((input, key) => {
    if ((key.rightArrow || input === 'n') && index < pages.length - 1) setIndex(index + 1);
    else if ((key.leftArrow || input === 'p') && index > 0) setIndex(index - 1);
    else if (input === 'g' && onAll !== undefined) onAll();
    else if (!key.rightArrow && !key.leftArrow && input !== 'n' && input !== 'p') onClose();
  });
  const page = pages[index];
  if (page === undefined) return null;
  return (
    <Box flexDirection="column">
      <Text bold>{`${page.title}${pages.length > 1 ? ` — ${index + 1} of ${pages.length} (←/→)` : ''}`}</Text>
      {page.warnings.map((warning) => (
        <Text key={warning} color="yellow" wrap="truncate-end">{`! ${warning}`}</Text>
      ))}
      <Text>{page.qr}</Text>
      <Text dimColor>
        {onAll === undefined
          ? 'Any key closes.'
          : 'g: all accounts as Google Authenticator QRs · any other key closes.'}
      </Text>
    </Box>
  );
}
