import { describe, expect, it } from 'vitest';
import { niceScale, stack } from './chart';

const h = (hour: number, zone: string, category: string, entries: number) => ({ hour, zone, category, entries });

describe('stack', () => {
  it('sums entries per hour and series, over a working day at least', () => {
    const s = stack([h(9, 'HALL', 'EXH', 3), h(9, 'VIP', 'DEL', 2), h(10, 'HALL', 'DEL', 1)], 'zone', ['HALL', 'VIP']);
    expect(s.hours[0]).toBe(7);
    expect(s.hours.at(-1)).toBe(19);
    expect(s.series.map((x) => x.key)).toEqual(['HALL', 'VIP']);
    expect(s.series[0].values[9 - 7]).toBe(3);
    expect(s.series[0].values[10 - 7]).toBe(1);
    expect(s.max).toBe(5);
    const c = stack([h(9, 'HALL', 'EXH', 3), h(9, 'VIP', 'DEL', 2)], 'category', ['DEL', 'EXH']);
    expect(c.series.map((x) => x.key)).toEqual(['DEL', 'EXH']);
  });

  it('widens the day for late entries', () => {
    const s = stack([h(22, 'HALL', 'EXH', 1), h(5, 'HALL', 'EXH', 1)], 'zone', []);
    expect(s.hours[0]).toBe(5);
    expect(s.hours.at(-1)).toBe(22);
  });
});

describe('niceScale', () => {
  it('rounds the axis up', () => {
    expect(niceScale(0)).toEqual({ top: 4, step: 1 });
    expect(niceScale(5)).toEqual({ top: 6, step: 2 });
    expect(niceScale(37)).toEqual({ top: 40, step: 10 });
  });
});
