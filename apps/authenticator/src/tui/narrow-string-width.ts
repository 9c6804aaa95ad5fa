/**
 * @module
 * A fast path in front of string-width 8, wired in by the bundler (scripts/bundle.mjs). Ink measures
 * every text with string-width; for anything beyond printable ASCII, string-width 8 sets up
 * Intl.Segmenter and compiles Unicode-property regexes (\p{RGI_Emoji}, …) on first use, ≈ 20 ms
 * of the first frame, only to find that '›', '·', '█' and '░' are one column wide.
 *
 * NARROW lists code points that string-width 8 measures as exactly one column each and that never
 * join a neighbour into a grapheme cluster: a string made only of them is as wide as it is long.
 * test/narrow-string-width.test.ts checks every one of them, and random strings of them, against
 * string-width itself, so an update that changes a width fails the tests instead of the screen.
 * Ink measures styled text too: like string-width, escape sequences are removed first (with the
 * strip-ansi that string-width itself uses). Everything else (CJK, emoji, combining marks) still goes
 * to string-width.
 */

export const NARROW =
  /^[\u0020-\u007e\u00a1-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u259f]*$/;

/**
 * The width when `text`, without its ANSI escape sequences, is all NARROW (its length), else
 * undefined. Without `stripAnsi`, text with escape sequences is left to string-width.
 */
export function narrowWidth(text: unknown, stripAnsi?: (text: string) => string): number | undefined {
  if (typeof text !== 'string') return undefined;
  // string-width strips when it sees ESC or CSI (0x1b, 0x9b) and measures what is left.
  const visible =
    stripAnsi !== undefined && (text.includes('\u001b') || text.includes('\u009b')) ? stripAnsi(text) : text;
  return NARROW.test(visible) ? visible.length : undefined;
}
