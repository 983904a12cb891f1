import type { Lang } from './dictionaries';

/** BCP 47 locale per language: en-GB gives "11 November 2025" (day first, like French). */
const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

const DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };

/** Offset of `timeZone` from UTC at `instant`, in minutes ("GMT+05:30" → 330). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = name?.match(/GMT([+-])(\d{2}):?(\d{2})?/);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * An ISO `YYYY-MM-DD` calendar date of the event, as the instant of noon on that day in the
 * event's time zone, so that formatting it in that zone always shows the same calendar day.
 */
export function eventDayInstant(iso: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  const noonUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12);
  return new Date(noonUtc - offsetMinutes(new Date(noonUtc), timeZone) * 60_000);
}

/** "11 novembre 2025" / "11 November 2025". */
export function formatDate(iso: string, lang: Lang, timeZone: string, weekday = false): string {
  const options: Intl.DateTimeFormatOptions = { ...DATE, timeZone, ...(weekday ? { weekday: 'long' } : {}) };
  return new Intl.DateTimeFormat(LOCALES[lang], options).format(eventDayInstant(iso, timeZone));
}

/** "11–14 novembre 2025" / "11–14 November 2025"; a single date when first = last. */
export function formatDateRange(first: string, last: string, lang: Lang, timeZone: string): string {
  if (first === last) return formatDate(first, lang, timeZone);
  const fmt = new Intl.DateTimeFormat(LOCALES[lang], { ...DATE, timeZone });
  return fmt.formatRange(eventDayInstant(first, timeZone), eventDayInstant(last, timeZone));
}

/** Zone and category names come in both languages from the event. */
export function localName(item: { name_fr: string; name_en: string }, lang: Lang): string {
  return lang === 'en' ? item.name_en : item.name_fr;
}
