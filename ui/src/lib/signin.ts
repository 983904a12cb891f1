/**
 * The sign-in list's search: the officer types the start of any of their
 * names, in any case, with or without accents ("awa", "traore", "Tra").
 */
import type { SignInName } from './bindings';

/** Lower case without accents: "Traoré" → "traore". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim();
}

/** The accounts whose name has a word starting with `query` (all for an empty one), in list order. */
export function matchNames(names: readonly SignInName[], query: string): SignInName[] {
  const q = fold(query);
  if (q === '') return [...names];
  return names.filter((n) => {
    const name = fold(n.name);
    return name.startsWith(q) || name.split(/[\s\-'’]+/).some((word) => word.startsWith(q));
  });
}
