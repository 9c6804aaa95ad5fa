/** @jsxRuntime automatic */
/** @jsxImportSource react */
/**
 * @module
 * Time left in the current TOTP step: a bar and the seconds, green until the last 5 s, then red.
 */
import { Text } from 'ink';

export const WARN_SECONDS = 5;

export function countdownColour(remaining: number): 'green' | 'red' {
  return remaining <= WARN_SECONDS ? 'red' : 'green';
}

export function CountdownBar({ remaining, period, width = 10 }: { remaining: number; period: number; width?: number }) {
  const filled = Math.max(0, Math.min(width, Math.round((remaining / period) * width)));
  const colour = countdownColour(remaining);
  return (
    <Text color={colour}>
      {'█'.repeat(filled)}
      <Text dimColor>{'░'.repeat(width - filled)}</Text>
      {` ${String(remaining).padStart(2)}s`}
    </Text>
  );
}
