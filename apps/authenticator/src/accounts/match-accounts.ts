/**
 * @module
 * Finding accounts by a query. The CLI needs one unambiguous match, so exact matches win over
 * substring matches, which win over fuzzy (in-order letters) matches; the TUI filter ranks by the
 * same tiers.
 */
import type { Account } from '@mfakit/vault';

type Named = Pick<Account, 'id' | 'issuer' | 'name'>;

/** 3 exact (id, issuer, name, "issuer:name"), 2 substring, 1 fuzzy, 0 no match. */
export function matchScore(account: Named, query: string): number {
  const q = query.trim().toLowerCase();
  if (q === '') return 1;
  const issuer = account.issuer.toLowerCase();
  const name = account.name.toLowerCase();
  const both = `${issuer}:${name}`;
  if (account.id === q || issuer === q || name === q || both === q) return 3;
  if (both.includes(q) || `${issuer} ${name}`.includes(q)) return 2;
  return isSubsequence(q.replace(/\s+/g, ''), both) ? 1 : 0;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let position = 0;
  for (const character of needle) {
    position = haystack.indexOf(character, position);
    if (position === -1) return false;
    position += 1;
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

/** All matching accounts, best tier first (stable within a tier): the TUI's type-to-filter. */
export function filterAccounts<T extends Named>(accounts: readonly T[], query: string): T[] {
  if (query.trim() === '') return [...accounts];
  return accounts
    .map((account, index) => ({ account, index, score: matchScore(account, query) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.account);
}
