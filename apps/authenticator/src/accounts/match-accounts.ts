/**
 * @module
 * Finding accounts by a query. The CLI needs one unambiguous match, so exact matches win over
 * substring matches, which win over fuzzy (in-order letters) matches; the TUI filter ranks by the
 * same tiers. Case and accents are folded on both sides ("é" finds "e", "Ü" finds "u"), so a query
 * typed on any keyboard finds the account.
 */
import type { Account } from '@mfakit/vault';

type Named = Pick<Account, 'id' | 'issuer' | 'name'>;

/**
 * The text as matching sees it: canonical decomposition (NFKD) without combining marks, lower case.
 * "Crédit Agricole" → "credit agricole", "ＡＷＳ" → "aws".
 */
export function foldForMatch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** 3 exact (id, issuer, name, "issuer:name"), 2 substring, 1 fuzzy, 0 no match. */
export function matchScore(account: Named, query: string): number {
  const q = foldForMatch(query.trim());
  if (q === '') return 1;
  // The id, or its first 8 or more characters as `mfakit list` prints it.
  const id = query.trim();
  if (account.id === id || (id.length >= 8 && account.id.startsWith(id))) return 3;
  const issuer = foldForMatch(account.issuer);
  const name = foldForMatch(account.name);
  const both = `${issuer}:${name}`;
  if (issuer === q || name === q || both === q) return 3;
  if (both.includes(q) || `${issuer} ${name}`.includes(q)) return 2;
  return isSubsequence(q.replace(/\s+/g, ''), both) ? 1 : 0;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let position = 0;
  for (const character of needle) {
    position = haystack.indexOf(character, position);
    if (position === -1) return false;
    position += character.length;
  }
  return true;
}

/** The accounts of the best tier that matches, in vault order. */
export function findAccounts<T extends Named>(accounts: readonly T[], query: string): T[] {
  let best = 0;
  let matches: T[] = [];
  for (const account of accounts) {
    const score = matchScore(account, query);
    if (score === 0 || score < best) continue;
    if (score > best) {
      best = score;
      matches = [];
    }
    matches.push(account);
  }
  return matches;
}

/**
 * All matching accounts, best tier first (stable within a tier): the TUI's search. Letters in order
 * (fuzzy) count only when nothing contains the query: with hundreds of accounts they would bury
 * the real matches.
 */
export function filterAccounts<T extends Named>(accounts: readonly T[], query: string): T[] {
  if (query.trim() === '') return [...accounts];
  const scored = accounts.map((account, index) => ({ account, index, score: matchScore(account, query) }));
  const least = scored.some((entry) => entry.score >= 2) ? 2 : 1;
  return scored
    .filter((entry) => entry.score >= least)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.account);
}
