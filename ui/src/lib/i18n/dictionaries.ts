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

const plurals: Record<Lang, Intl.PluralRules> = {
  fr: new Intl.PluralRules('fr'),
  en: new Intl.PluralRules('en'),
};

/**
 * Looks a key up and fills `{name}` placeholders; `{name|one|other}` picks the word
 * agreeing with the number `name` by the language's plural rule (French: 0 and 1 are
 * singular, English: only 1).
 */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[lang][key];
  if (!params) return text;
  return text
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (whole, name: string, one: string, other: string) => {
      const value = params[name];
      if (typeof value !== 'number') return whole;
      return plurals[lang].select(value) === 'one' ? one : other;
    })
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
