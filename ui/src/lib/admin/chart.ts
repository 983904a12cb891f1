/** The data behind the dashboard's stacked bar chart of entries per hour. */
import type { HourlyEntries } from '../bindings';

export type GroupBy = 'zone' | 'category';

export interface Stacked {
  /** The hours shown, venue time, consecutive. */
  hours: number[];
  /** One series per zone or category, in `order`; values[i] is for hours[i]. */
  series: { key: string; values: number[] }[];
  /** The tallest bar. */
  max: number;
}

/**
 * Stacks `hourly` by zone or category over a working day (07:00–19:00 at
 * least, wider when entries fall outside it). `order` fixes the series order
 * (the event's zone or category order); keys not in it come last.
 */
export function stack(hourly: readonly HourlyEntries[], by: GroupBy, order: readonly string[]): Stacked {
  const present = hourly.map((h) => h.hour);
  const first = Math.min(7, ...present);
  const last = Math.max(19, ...present);
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const keys = [...new Set(hourly.map((h) => (by === 'zone' ? h.zone : h.category)))].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || a.localeCompare(b);
  });
  const series = keys.map((key) => ({ key, values: hours.map(() => 0) }));
  for (const h of hourly) {
    const s = series.find((s) => s.key === (by === 'zone' ? h.zone : h.category));
    if (s) s.values[h.hour - first] += h.entries;
  }
  const max = Math.max(0, ...hours.map((_, i) => series.reduce((sum, s) => sum + s.values[i], 0)));
  return { hours, series, max };
}

/** A round axis top at or above `max` (1, 2, 5 × 10ⁿ steps), and its tick step. */
export function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (max <= 0) return { top: ticks, step: 1 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const whole = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / whole) * whole, step: whole };
}
