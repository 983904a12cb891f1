import { describe, expect, it } from 'vitest';
import type { FieldProblem } from './bindings';
import { problemText } from './problems';

const every: FieldProblem[] = [
  { kind: 'missing' },
  { kind: 'too_long', max: 100 },
  { kind: 'control_character' },
  { kind: 'unknown_category', value: 'XYZ' },
  { kind: 'unknown_country', value: 'Atlantide' },
  { kind: 'not_an_email', value: 'pas-une-adresse' },
  { kind: 'unknown_zone', value: 'MOON' },
  { kind: 'not_a_date', value: '32/11/2025' },
  { kind: 'day_outside_event', value: '2025-12-25' },
  { kind: 'not_a_badge_number', value: 'BMX-42' },
  { kind: 'same_person_as', line: 2 },
];

describe('problemText', () => {
  it('says each problem in French and in English, naming the value', () => {
    for (const p of every) {
      const fr = problemText(p, 'fr');
      const en = problemText(p, 'en');
      expect(fr).not.toBe(en);
      for (const text of [fr, en]) {
        expect(text).not.toMatch(/\{\w+\}/);
        if ('value' in p) expect(text).toContain(p.value);
      }
    }
  });

  it('reads as the venue expects', () => {
    expect(problemText({ kind: 'unknown_country', value: 'Atlantide' }, 'fr')).toBe(
      'Pays inconnu : « Atlantide ». Saisissez un code (ML) ou un nom (Mali).',
    );
    expect(problemText({ kind: 'too_long', max: 40 }, 'fr')).toBe('Trop long : 40 caractères au plus.');
    expect(problemText({ kind: 'same_person_as', line: 7 }, 'en')).toBe('The same person as line 7.');
    expect(problemText({ kind: 'unknown_category', value: 'XYZ' }, 'en')).toBe('Unknown category: “XYZ”.');
  });

  it('suggests the near miss of an unknown category and lists the accepted ones', () => {
    const p: FieldProblem = {
      kind: 'unknown_category',
      value: 'Exposants',
      suggestion: 'Exposant',
      accepted: [
        { code: 'EXH', name_fr: 'Exposant', name_en: 'Exhibitor' },
        { code: 'VIP', name_fr: 'VIP', name_en: 'VIP' },
      ],
    };
    expect(problemText(p, 'fr')).toBe(
      'Catégorie inconnue : « Exposants ». Vouliez-vous dire « Exposant » ? Catégories acceptées (nom ou code) : Exposant (EXH), VIP (VIP).',
    );
    expect(problemText(p, 'en')).toBe(
      'Unknown category: “Exposants”. Did you mean “Exposant”? Accepted categories (name or code): Exhibitor (EXH), VIP (VIP).',
    );
  });
});
