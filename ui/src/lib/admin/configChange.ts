/**
 * One change of the configuration (`ConfigChange`, from a save refused as changed elsewhere)
 * as a line in the screen's language: "Zone HALL — jours d’ouverture : 7 déc., 8 déc. → 6 déc.,
 * 7 déc., 8 déc.". Dates, anti-passback modes, roles and yes/no are words, never codes.
 */
import type { ConfigChange } from '../bindings';
import { dictionaries, translate, type Lang, type MessageKey } from '../i18n';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function shortDay(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T12:00:00Z`));
}

function value(field: string | null, v: string | null, lang: Lang): string {
  const tr = (key: string): string => translate(lang, key as MessageKey);
  if (v === null || v === '') return tr('change.none');
  if (field === 'active' || field === 'demo') return tr(v === 'true' ? 'change.yes' : 'change.no');
  if (field === 'antipassback') return tr(`admin.setup.apb.${v}`);
  if (field === 'role') return tr(`staff.role.${v}`);
  if (field === 'capacity') return v;
  return v
    .split(', ')
    .map((part) => (ISO_DATE.test(part) ? shortDay(part, lang) : part))
    .join(', ');
}

export function describeChange(c: ConfigChange, lang: Lang): string {
  const tr = (key: string, params?: Record<string, string>): string =>
    translate(lang, key as MessageKey, params);
  const key = c.section === 'day' && ISO_DATE.test(c.key) ? shortDay(c.key, lang) : c.key;
  if (c.kind === 'reordered') {
    const item = tr(c.section === 'zone' ? 'change.zones' : 'change.categories');
    return tr('change.reordered', { item, before: c.before ?? '', after: c.after ?? '' });
  }
  const item = c.section === 'event' ? tr('change.event') : tr(`change.${c.section}`, { key });
  switch (c.kind) {
    case 'added':
      return tr(c.section === 'staff' ? 'change.addedStaff' : 'change.added', { item });
    case 'removed':
      return tr('change.removed', { item });
    case 'retired':
      return tr('change.retired', { item });
    default: {
      const field = c.field ?? '';
      const known = `change.field.${field}`;
      return tr('change.changed', {
        item,
        field: known in dictionaries[lang] ? tr(known) : field,
        before: value(c.field, c.before, lang),
        after: value(c.field, c.after, lang),
      });
    }
  }
}
