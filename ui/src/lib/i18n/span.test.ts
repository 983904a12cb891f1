import { describe, expect, it } from 'vitest';
import { formatSpan } from './span';

describe('formatSpan', () => {
  it('says a gap to the minute, in both languages', () => {
    expect(formatSpan(86_400_000 - 8_000, 'fr')).toBe('1 jour');
    expect(formatSpan(-600_000, 'en')).toBe('10 min');
    expect(formatSpan(3 * 3_600_000 + 12 * 60_000, 'fr')).toBe('3 h 12 min');
    expect(formatSpan(2 * 86_400_000 + 3_600_000, 'en')).toBe('2 days 1 h');
    expect(formatSpan(14 * 60_000, 'fr')).toBe('14 min');
  });
});
