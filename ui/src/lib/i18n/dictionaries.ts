import { en } from './en';
import { fr, type MessageKey } from './fr';

export type { MessageKey };
export type Lang = 'fr' | 'en';

export const LANGS: readonly Lang[] = ['fr', 'en'];
export const DEFAULT_LANG: Lang = 'fr';

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { fr, en };

export function isLang(value: unknown): value is Lang {
  return value === 'fr' || value === 'en';
}

/** Looks a key up and fills `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
