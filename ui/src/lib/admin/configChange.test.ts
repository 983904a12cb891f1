import { describe, expect, it } from 'vitest';
import type { ConfigChange } from '../bindings';
import { describeChange } from './configChange';

const change = (c: Partial<ConfigChange>): ConfigChange => ({
  section: 'event',
  key: '',
  kind: 'changed',
  field: null,
  before: null,
  after: null,
  ...c,
});

describe('a configuration change in words', () => {
  it('names the field and both values, dates as dates', () => {
    const c = change({
      section: 'zone',
      key: 'HALL',
      field: 'open_days',
      before: '2025-12-07, 2025-12-08',
      after: '2025-12-06, 2025-12-07, 2025-12-08',
    });
    expect(describeChange(c, 'fr')).toBe('Zone HALL — jours d’ouverture : 7 déc., 8 déc. → 6 déc., 7 déc., 8 déc.');
    expect(describeChange(c, 'en')).toBe('Zone HALL — open days: 7 Dec, 8 Dec → 6 Dec, 7 Dec, 8 Dec');
  });

  it('says additions, the event’s own fields, roles and yes/no in words', () => {
    expect(describeChange(change({ section: 'day', key: '2025-12-06', kind: 'added' }), 'fr')).toBe(
      'Journée 6 déc. : ajoutée',
    );
    expect(describeChange(change({ field: 'city', before: 'Bamako', after: 'Ségou' }), 'fr')).toBe(
      'Événement — ville : Bamako → Ségou',
    );
    expect(
      describeChange(change({ section: 'staff', key: 'Porte 1', field: 'role', before: 'gate', after: 'desk' }), 'fr'),
    ).toBe('Compte « Porte 1 » — rôle : Contrôle d\'accès → Accueil');
    expect(
      describeChange(change({ section: 'staff', key: 'Gate 1', field: 'active', before: 'true', after: 'false' }), 'en'),
    ).toBe('Account “Gate 1” — active: yes → no');
    expect(describeChange(change({ section: 'zone', key: 'VIP', field: 'capacity', before: null, after: '80' }), 'en')).toBe(
      'Zone VIP — capacity: none → 80',
    );
    expect(describeChange(change({ section: 'zone', key: 'BIZ', kind: 'retired' }), 'fr')).toBe('Zone BIZ : retirée');
  });
});
