export { i18n, setLang, t } from './lang.svelte';
export { LANGS, DEFAULT_LANG, dictionaries, translate, isLang, type Lang, type MessageKey } from './dictionaries';
export { formatDate, formatDateRange, localName } from './format';
