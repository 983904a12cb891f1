import { describe, expect, it } from 'vitest';
import { auditDetail } from './auditDetail';

describe('an audit detail in lines', () => {
  it('says each field and value without JSON', () => {
    expect(auditDetail('{"expires_at":"2026-12-06T07:40:21Z","label":"E2VS","name":"Porte Hall","role":"gate"}')).toEqual([
      'expires_at: 2026-12-06T07:40:21Z',
      'label: E2VS',
      'name: Porte Hall',
      'role: gate',
    ]);
  });

  it('names a station by the name it was given at pairing', () => {
    const id = '019af3c2-7b1e-7c3a-9d2e-0a1b2c3d4e5f';
    expect(auditDetail(`{"station":"${id}","role":"gate"}`, undefined, { [id]: 'Porte Hall' })).toEqual([
      'station: Porte Hall (019af3c2)',
      'role: gate',
    ]);
  });

  it('puts each change on its own line', () => {
    expect(auditDetail('{"changes":["zone HALL capacity: 4000 → 3500","event city: \\"Bamako\\" → \\"Ségou\\""]}')).toEqual([
      'zone HALL capacity: 4000 → 3500',
      'event city: "Bamako" → "Ségou"',
    ]);
  });

  it('flattens lists and nested objects, and leaves what is not JSON alone', () => {
    expect(auditDetail('[{"serial":"BMX-000001","status":"printed"},{"serial":"BMX-000002","status":"printed"}]')).toEqual([
      'serial: BMX-000001, status: printed',
      'serial: BMX-000002, status: printed',
    ]);
    expect(auditDetail('{"zones":["HALL","VIP"],"capacity":null}')).toEqual(['zones: HALL, VIP', 'capacity: —']);
    expect(auditDetail('not json {')).toEqual(['not json {']);
  });

  it('says fields and coded values in words in the screen language', () => {
    const detail = '{"name":"Porte Hall","role":"gate","serial_block":200001,"revoked":true}';
    expect(auditDetail(detail, 'fr')).toEqual([
      'nom : Porte Hall',
      'rôle : contrôle d’accès',
      'plage de numéros : 200001',
      'révoqué : oui',
    ]);
    expect(auditDetail(detail, 'en')).toEqual(['name: Porte Hall', 'role: gate', 'number block: 200001', 'revoked: yes']);
  });

  it('says a configuration change recorded as data in the screen language', () => {
    const detail = JSON.stringify({
      changes: ['event city: "Bamako" → "Ségou"'],
      config: [{ section: 'event', key: '', kind: 'changed', field: 'city', before: 'Bamako', after: 'Ségou' }],
    });
    const fr = auditDetail(detail, 'fr');
    expect(fr).toHaveLength(1);
    expect(fr[0]).toContain('Ségou');
    expect(fr[0]).not.toContain('event city');
    expect(auditDetail(detail)).toEqual(['event city: "Bamako" → "Ségou"']);
  });
});
