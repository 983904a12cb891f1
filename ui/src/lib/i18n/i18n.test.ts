import { describe, expect, it } from 'vitest';
import { dictionaries, LANGS, translate } from './dictionaries';
import { formatDate, formatDateRange, localName } from './format';

/** ICU puts thin/narrow no-break spaces around range dashes; compare on plain spaces. */
const plain = (s: string): string => s.replace(/[\s\u2009\u202f\u00a0]+/g, ' ');

describe('dictionaries', () => {
  it('have identical key sets in fr and en', () => {
    const fr = Object.keys(dictionaries.fr).sort();
    const en = Object.keys(dictionaries.en).sort();
    expect(en).toEqual(fr);
  });

  it('have no empty strings', () => {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(dictionaries[lang])) {
        expect(text.trim(), `${lang}:${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(dictionaries.fr) as (keyof typeof dictionaries.fr)[]) {
      expect(names(dictionaries.en[key]), key).toEqual(names(dictionaries.fr[key]));
    }
  });

  it('fills placeholders', () => {
    expect(translate('fr', 'error.code', { code: 'no_event' })).toBe('Erreur : no_event');
    expect(translate('en', 'station.gate.title', { zone: 'Exhibition hall' })).toBe('Gate — Exhibition hall');
    expect(translate('fr', 'admin.dash.totalsDay', { day: 'mer.', entries: 1, denied: 0 })).toBe('mer. : 1 entrée, 0 refus');
    expect(translate('fr', 'admin.dash.totalsDay', { day: 'mer.', entries: 12, denied: 3 })).toBe('mer. : 12 entrées, 3 refus');
    expect(translate('en', 'admin.dash.totalsDay', { day: 'Wed', entries: 1, denied: 2 })).toBe('Wed: 1 entry, 2 refusals');
    expect(translate('en', 'admin.dash.totalsDay', { day: 'Wed', entries: 0, denied: 1 })).toBe('Wed: 0 entries, 1 refusal');
  });
});

describe('date formatting', () => {
  const tz = 'Africa/Bamako';

  it('formats one date in French and English', () => {
    expect(formatDate('2025-11-11', 'fr', tz)).toBe('11 novembre 2025');
    expect(formatDate('2025-11-11', 'en', tz)).toBe('11 November 2025');
  });

  it('formats a date range in French and English', () => {
    expect(plain(formatDateRange('2025-11-11', '2025-11-14', 'fr', tz))).toMatch(/^11 ?– ?14 novembre 2025$/);
    expect(plain(formatDateRange('2025-11-11', '2025-11-14', 'en', tz))).toMatch(/^11 ?– ?14 November 2025$/);
  });

  it('formats a range across months and a one-day range', () => {
    expect(plain(formatDateRange('2025-10-30', '2025-11-02', 'fr', tz))).toBe('30 octobre – 2 novembre 2025');
    expect(plain(formatDateRange('2025-10-30', '2025-11-02', 'en', tz))).toBe('30 October – 2 November 2025');
    expect(formatDateRange('2025-11-13', '2025-11-13', 'en', tz)).toBe('13 November 2025');
  });

  it('keeps the calendar day in time zones far from UTC', () => {
    expect(formatDate('2025-11-11', 'en', 'Pacific/Kiritimati')).toBe('11 November 2025');
    expect(formatDate('2025-11-11', 'en', 'Pacific/Pago_Pago')).toBe('11 November 2025');
  });

  it('picks zone names by language', () => {
    const zone = { name_fr: "Hall d'exposition", name_en: 'Exhibition hall' };
    expect(localName(zone, 'fr')).toBe("Hall d'exposition");
    expect(localName(zone, 'en')).toBe('Exhibition hall');
  });
});
