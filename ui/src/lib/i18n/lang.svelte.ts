import { DEFAULT_LANG, isLang, translate, type Lang, type MessageKey } from './dictionaries';

const STORAGE_KEY = 'gatehouse.lang';

function storedLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLang(saved) ? saved : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

/** The current language: reactive, persisted in localStorage, mirrored on `<html lang>`. */
export const i18n = $state<{ lang: Lang }>({ lang: storedLang() });

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

/** Translate in the current language; reading `i18n.lang` makes callers reactive. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(i18n.lang, key, params);
}
