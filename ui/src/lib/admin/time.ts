/**
 * Times on the console are the venue's wall clock (the event's time zone),
 * whatever the time zone of the laptop or tablet showing them.
 */
import type { Lang } from '../i18n';

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/** "09:30" at the venue. */
export function venueTime(iso: string, timeZone: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', timeZone }).format(d);
}

/** "11/11/2025 09:30:05" at the venue. */
export function venueDateTime(iso: string, timeZone: string, lang: Lang, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    timeZone,
  }).format(d);
}

/** "mar. 11/11" for a venue day "2025-11-11" (a calendar date: no time zone to apply). */
export function dayLabel(day: string, lang: Lang): string {
  const d = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    timeZone: 'UTC',
  }).format(d);
}

/** Offset of `timeZone` from UTC at `instant`, in minutes. */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = name?.match(/GMT([+-])(\d{2}):?(\d{2})?/);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * A `<input type="datetime-local">` value ("2025-11-11T09:30"), read as venue
 * time, to an RFC 3339 instant; null when empty or unreadable.
 */
export function venueInputToIso(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // The offset at the guessed instant; good everywhere but inside a DST jump.
  const offset = offsetMinutes(new Date(asUtc), timeZone);
  return new Date(asUtc - offset * 60_000).toISOString();
}
