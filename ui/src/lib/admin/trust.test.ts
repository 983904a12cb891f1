import { describe, expect, it } from 'vitest';
import type { SecurityAlert } from '../bindings';
import { byStation, heldWhyText, kindsText, kindWords, whyText } from './trust';

const alert = (over: Partial<SecurityAlert>): SecurityAlert => ({
  id: 1,
  station: 'st-gate-1',
  name: 'Porte Hall',
  role: 'gate',
  at: '2026-12-06T09:00:00Z',
  kinds: 'signing_key',
  why: 'station st-gate-1 is paired as gate: it may not send signing_key records',
  held: 2,
  ...over,
});

describe('record kinds in words', () => {
  it('names each kind in French and English', () => {
    expect(kindWords('signing_key', 'fr')).toBe('Clé de signature');
    expect(kindWords('signing_key', 'en')).toBe('Signing key');
    expect(kindsText('signing_key,audit', 'fr')).toBe('clés de signature, entrées du journal d’audit');
    expect(kindsText('staff, event_config', 'en')).toBe('staff accounts, event configuration');
  });

  it('keeps a kind it does not know as the core wrote it', () => {
    expect(kindWords('teleport', 'fr')).toBe('teleport');
    expect(kindsText('', 'fr')).toBe('');
  });
});

describe('why a station was held, in the screen language', () => {
  const name = (id: string): string => (id === 'st-gate-1' ? 'Porte Hall' : id);

  it('translates the role refusal, with the station named and the kind in words', () => {
    const why = 'station st-gate-1 is paired as gate: it may not send signing_key records';
    expect(whyText(why, 'fr', name)).toBe('Le poste Porte Hall, appairé comme contrôle, ne peut pas envoyer : clés de signature.');
    expect(whyText(why, 'en', name)).toBe('Station Porte Hall is paired as gate: it may not send signing keys.');
  });

  it('translates forged origins and the quarantine itself', () => {
    expect(whyText('station st-gate-1 sent a scan recorded under station hub-1', 'fr', name)).toBe(
      'Le poste Porte Hall a envoyé un passage enregistré au nom du poste hub-1.',
    );
    expect(
      whyText('station st-gate-1 sent entry hub-1#4 in the name of station hub-1: a station sends only its own', 'en', name),
    ).toBe('Station Porte Hall sent an entry in the name of station hub-1: a station sends only its own.');
    expect(whyText('station st-gate-1 is quarantined: its entries wait for the organiser', 'fr', name)).toBe(
      'Le poste Porte Hall est en quarantaine : ses entrées attendent votre décision.',
    );
  });

  it('says an entry of another kind was held with the refused one', () => {
    const why = 'station st-gate-1 is paired as gate: it may not send signing_key records';
    expect(heldWhyText(why, 'signing_key', 'en', name)).toBe('Station Porte Hall is paired as gate: it may not send signing keys.');
    expect(heldWhyText(why, 'audit', 'fr', name)).toBe(
      'Envoyée avec ou après l’entrée refusée : retenue jusqu’à votre décision.',
    );
  });

  it('shows an unknown reason as the core wrote it', () => {
    expect(whyText('something new happened', 'fr')).toBe('something new happened');
  });
});

describe('alerts gathered per station', () => {
  it('keeps the newest alert of each station and every kind it tried', () => {
    const list = byStation([
      alert({ id: 3, at: '2026-12-06T10:00:00Z', kinds: 'staff', why: 'newest' }),
      alert({ id: 2, station: 'st-desk', name: null, role: 'desk', kinds: 'event_config', held: 1 }),
      alert({ id: 1, at: '2026-12-06T09:00:00Z', kinds: 'signing_key,staff' }),
    ]);
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ station: 'st-gate-1', at: '2026-12-06T10:00:00Z', why: 'newest', count: 2, held: 2 });
    expect(list[0].kinds).toBe('staff,signing_key');
    expect(list[1]).toMatchObject({ station: 'st-desk', name: null, count: 1, kinds: 'event_config' });
  });
});
