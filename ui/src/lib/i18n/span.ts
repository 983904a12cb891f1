import { translate, type Lang } from './dictionaries';

/**
 * A gap as people say it, to the minute, like the core's `span_words`:
 * "1 jour", "3 h 12 min", "10 min" / "2 days 1 h".
 */
export function formatSpan(ms: number, lang: Lang): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor(minutes / 60) % 24;
  const mins = minutes % 60;
  const d = translate(lang, 'span.days', { n: days });
  if (days > 0) return hours > 0 ? `${d} ${hours} h` : d;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}
