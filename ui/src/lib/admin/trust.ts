/**
 * Station trust on the console: the hub's security alerts gathered per station, and the
 * core's words for them (record kinds, why a station was quarantined) said in the screen's
 * language. The core's reasons are English sentences made in `sync::policy`,
 * `sync::protocol` and `sync::store`; those known here are translated, any other is shown
 * as the core wrote it.
 */
import type { SecurityAlert } from '../bindings';
import { translate, type Lang, type MessageKey } from '../i18n/dictionaries';

/** The record kinds a sync entry can be (`SyncRecord::kind_key`). */
export const KINDS = [
  'scan',
  'badge_issue',
  'revocation',
  'attendee_edit',
  'event_config',
  'staff',
  'badge_template',
  'photo',
  'print_job',
  'print_outcome',
  'signing_key',
  'key_retired',
  'audit',
  'withheld',
  'station_kiosk',
] as const;

const isKind = (k: string): k is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(k);

/** One record kind in words: "Clé de signature" (`plural`: "clés de signature", inside a sentence). */
export function kindWords(kind: string, lang: Lang, plural = false): string {
  if (!isKind(kind)) return kind;
  return translate(lang, `trust.${plural ? 'kinds' : 'kind'}.${kind}` as MessageKey);
}

/** The alert's comma-separated kinds in words: "clés de signature, entrées du journal d’audit". */
export function kindsText(kinds: string, lang: Lang): string {
  return kinds
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
    .map((k) => kindWords(k, lang, true))
    .join(', ');
}

/** A station's role in words ("contrôle"), or as given when unknown. */
export function roleWords(role: string | null, lang: Lang): string {
  if (role === 'desk' || role === 'gate' || role === 'admin') return translate(lang, `sync.role.${role}`);
  return role ?? '?';
}

/** How a station is named on screen: its pairing name, else the start of its id. */
export type NameOf = (station: string) => string;

const PATTERNS: readonly [RegExp, (m: RegExpExecArray, lang: Lang, name: NameOf) => string][] = [
  [
    /^station (\S+) is paired as (\w+): it may not send (\w+) records$/,
    (m, lang, name) =>
      translate(lang, 'trust.why.paired', {
        station: name(m[1]),
        role: roleWords(m[2], lang),
        kind: kindWords(m[3], lang, true),
      }),
  ],
  [
    /^station (\S+) sent a scan recorded under station (\S+)$/,
    (m, lang, name) => translate(lang, 'trust.why.scanUnder', { station: name(m[1]), other: name(m[2]) }),
  ],
  [
    /^station (\S+) is not paired with this hub$/,
    (m, lang, name) => translate(lang, 'trust.why.notPaired', { station: name(m[1]) }),
  ],
  [
    /^station (\S+) is quarantined: its entries wait for the organiser$/,
    (m, lang, name) => translate(lang, 'trust.why.quarantined', { station: name(m[1]) }),
  ],
  [
    /^this credential belongs to station (\S+), not (\S+)$/,
    (m, lang, name) => translate(lang, 'trust.why.credential', { station: name(m[1]), other: name(m[2]) }),
  ],
  [
    /^station (\S+) sent entry \S+ in the name of station (\S+): a station sends only its own$/,
    (m, lang, name) => translate(lang, 'trust.why.origin', { station: name(m[1]), other: name(m[2]) }),
  ],
  [/^discarded by the organiser$/, (_m, lang) => translate(lang, 'trust.why.discarded')],
];

/** Why the hub held a station's entries, in `lang` (the core's own words when not known here). */
export function whyText(why: string, lang: Lang, name: NameOf = (s) => s): string {
  const text = why.trim();
  for (const [re, say] of PATTERNS) {
    const m = re.exec(text);
    if (m) return say(m, lang, name);
  }
  return text;
}

/**
 * Why one held entry is held. The hub gives every entry of a refused batch the first
 * refusal's reason ("may not send signing_key records"), and holds whatever follows it: an
 * entry of another kind is said to have come with or after the refused one.
 */
export function heldWhyText(why: string, kind: string, lang: Lang, name: NameOf = (s) => s): string {
  const refused = /^station \S+ is paired as \w+: it may not send (\w+) records$/.exec(why.trim());
  if (refused && refused[1] !== kind) return translate(lang, 'trust.why.withRefused');
  return whyText(why, lang, name);
}

/** A station's open alerts together, as the dashboard and the Stations tab show them. */
export interface StationAlert {
  station: string;
  name: string | null;
  role: string | null;
  /** The latest alert's time and reason. */
  at: string;
  why: string;
  /** Every kind it tried to send, over all its open alerts, first seen first. */
  kinds: string;
  /** How many times it was flagged. */
  count: number;
  /** Its entries held aside now. */
  held: number;
}

/** Open alerts (newest first, as the hub lists them) gathered per station, newest first. */
export function byStation(alerts: readonly SecurityAlert[]): StationAlert[] {
  const out = new Map<string, StationAlert & { kindList: string[] }>();
  for (const a of alerts) {
    let s = out.get(a.station);
    if (!s) {
      s = { station: a.station, name: a.name, role: a.role, at: a.at, why: a.why, kinds: '', kindList: [], count: 0, held: a.held };
      out.set(a.station, s);
    }
    s.count += 1;
    for (const k of a.kinds.split(',')) {
      const kind = k.trim();
      if (kind !== '' && !s.kindList.includes(kind)) s.kindList.push(kind);
    }
  }
  return [...out.values()].map(({ kindList, ...s }) => ({ ...s, kinds: kindList.join(',') }));
}
