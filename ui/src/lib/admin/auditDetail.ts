/**
 * An audit entry's detail (JSON as stored, hash-chained) as lines a person reads: one
 * "field: value" per line, a list of changes one change a line, no braces or quotes.
 * Anything that is not JSON is shown as it is.
 */
import type { Lang } from '../i18n/dictionaries';
import { fieldName, valueWords } from './auditWords';
import type { ConfigChange } from '../bindings';
import { describeChange } from './configChange';

function isConfigChange(v: Json): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.section === 'string' && typeof v.kind === 'string';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** With a language, field names and coded values (roles, statuses) are said in words. */
function plainIn(lang: Lang | undefined): (v: Json) => string {
  const field = (k: string) => (lang ? fieldName(k, lang) : k);
  const plain = (v: Json): string => {
    if (v === null) return '—';
    if (Array.isArray(v)) return v.map(plain).join(', ');
    if (typeof v === 'object') {
      return Object.entries(v)
        .map(([k, x]) => `${field(k)}: ${plain(x)}`)
        .join(', ');
    }
    return lang ? valueWords(String(v), lang) : String(v);
  };
  return plain;
}

/**
 * `lang`: field names and coded values said in words. `names`: the paired stations' names by
 * station id (the hub's list): a station named at pairing is said by its name ("Porte Hall
 * (01a249e0)"), not by its id alone.
 */
export function auditDetail(detail: string, lang?: Lang, names: Record<string, string> = {}): string[] {
  const plain = plainIn(lang);
  const field = (k: string) => (lang ? fieldName(k, lang) : k);
  const colon = lang === 'fr' ? ' : ' : ': ';
  let parsed: Json;
  try {
    parsed = JSON.parse(detail) as Json;
  } catch {
    return [detail];
  }
  if (Array.isArray(parsed)) return parsed.map(plain);
  if (parsed === null || typeof parsed !== 'object') return [plain(parsed)];
  const lines: string[] = [];
  // A configuration change recorded as data as well (`config`): said in the screen's
  // language, in place of its English sentences (`changes`).
  const config = parsed.config;
  if (Array.isArray(config) && config.every(isConfigChange)) {
    if (lang) lines.push(...(config as unknown as ConfigChange[]).map((c) => describeChange(c, lang)));
    const drop = lang ? ['config', 'changes'] : ['config'];
    parsed = Object.fromEntries(Object.entries(parsed).filter(([k]) => !drop.includes(k)));
  }
  for (const [key, value] of Object.entries(parsed)) {
    // A list of sentences (an event's changes): one a line.
    if (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string' && x.includes(' '))) {
      lines.push(...(value as string[]));
    } else if (typeof value === 'string' && names[value]) {
      lines.push(`${field(key)}${colon}${names[value]} (${value.slice(0, 8)})`);
    } else {
      lines.push(`${field(key)}${colon}${plain(value)}`);
    }
  }
  return lines;
}
