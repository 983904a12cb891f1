import { describe, expect, it } from 'vitest';
import { dayLabel, venueDateTime, venueInputToIso, venueTime } from './time';

describe('venue times', () => {
  it('shows stored UTC instants on the venue clock', () => {
    expect(venueTime('2025-11-11T09:30:12.5Z', 'Africa/Bamako', 'fr')).toBe('09:30');
    expect(venueTime('2025-11-11T09:30:12Z', 'Europe/Istanbul', 'en')).toBe('12:30');
    expect(venueDateTime('2025-11-11T23:59:00Z', 'Europe/Istanbul', 'fr')).toContain('12/11/2025');
  });

  it('reads a filter field as venue time', () => {
    expect(venueInputToIso('2025-11-11T09:30', 'Africa/Bamako')).toBe('2025-11-11T09:30:00.000Z');
    expect(venueInputToIso('2025-11-11T12:30', 'Europe/Istanbul')).toBe('2025-11-11T09:30:00.000Z');
    expect(venueInputToIso('', 'Africa/Bamako')).toBeNull();
    expect(venueInputToIso('yesterday', 'Africa/Bamako')).toBeNull();
  });

  it('keeps text it cannot read', () => {
    expect(venueTime('soon', 'Africa/Bamako', 'fr')).toBe('soon');
  });
});

describe('dayLabel', () => {
  it('names a venue day by weekday and date, in the screen language', () => {
    expect(dayLabel('2025-11-11', 'fr')).toBe('mar. 11/11');
    expect(dayLabel('2025-11-11', 'en')).toBe('Tue 11/11');
    expect(dayLabel('later', 'fr')).toBe('later');
  });
});
