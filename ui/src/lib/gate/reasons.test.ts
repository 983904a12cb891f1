import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { fr } from '../i18n/fr';
import { ALL_REASONS, photoCheck, reasonKey, verdictReason } from './reasons';

describe('verdict reasons', () => {
  it('every reason code of the CLI contract has words in both languages', () => {
    expect(ALL_REASONS).toHaveLength(16);
    for (const r of ALL_REASONS) {
      const key = reasonKey(r, 'in');
      expect(fr[key].length, r).toBeGreaterThan(3);
      expect(en[key].length, r).toBeGreaterThan(3);
    }
    expect(reasonKey('ok', 'out')).toBe('gate.reason.okOut');
  });

  it('marks a photo verified only when the hashes match', () => {
    expect(photoCheck('a1b2c3d4e5f60708', 'A1B2C3D4E5F60708')).toBe('verified');
    expect(photoCheck('a1b2c3d4e5f60708', 'ffffffffffffffff')).toBe('mismatch');
    expect(photoCheck(null, 'ffffffffffffffff')).toBe('mismatch');
    expect(photoCheck('a1b2c3d4e5f60708', null)).toBe('missing');
  });

  it('says why a badge was revoked', () => {
    const v = { reason: 'revoked', direction: 'in', revoked_reason: 'déclaré volé' } as const;
    expect(verdictReason(v, 'fr')).toBe('Badge révoqué — déclaré volé');
    expect(verdictReason(v, 'en')).toBe('Badge revoked — déclaré volé');
    expect(verdictReason({ reason: 'revoked', direction: 'in' }, 'fr')).toBe('Badge révoqué');
  });

  it('says from when a badge is valid and when it expired', () => {
    const early = { reason: 'not_yet_valid', direction: 'in', valid_from: '2025-12-07', valid_until: '2025-12-09' } as const;
    expect(verdictReason(early, 'fr')).toBe('Pas encore valide — à partir du 7 déc.');
    expect(verdictReason(early, 'en')).toBe('Not valid yet — from 7 Dec');
    const late = { ...early, reason: 'expired' } as const;
    expect(verdictReason(late, 'fr')).toBe('Expiré le 9 déc.');
    expect(verdictReason(late, 'en')).toBe('Expired on 9 Dec');
    // A verdict without the dates (an older station's) keeps the plain words.
    expect(verdictReason({ reason: 'expired', direction: 'in' }, 'fr')).toBe('Badge expiré');
  });
});
