import { describe, expect, it } from 'vitest';
import { joinProblem } from './joinProblem';

describe('joinProblem', () => {
  it('tells the refusals of a join apart, in the words the core uses', () => {
    const cases: [string, string, string][] = [
      ['bad_input', 'pairing code "x": expected the hub\'s address then the code', 'badInput'],
      ['bad_input', 'URL "http://10.0.0.2:8443": the hub speaks only https (its certificate is pinned by the code)', 'insecure'],
      ['forbidden', 'pairing code "ABCD" is not one this hub gave', 'wrongCode'],
      ['forbidden', 'the hub did not prove it knows this code — wrong address or interception?', 'unproven'],
      ['conflict', 'pairing code "ABCD" was already used (2026-11-28T04:00:00Z): ask the hub for a new one', 'used'],
      ['conflict', 'hub https://127.0.0.1:9 unreachable: error sending request', 'unreachable'],
      ['conflict', 'this station is already paired with the hub https://x; un-pair it on the hub first', 'paired'],
      ['conflict', 'something new', 'other'],
      ['internal', 'disk full', 'other'],
    ];
    for (const [code, message, want] of cases) {
      expect(joinProblem({ code: code as never, message }), message).toBe(want);
    }
  });

  it('goes by the catalogue key when the core gives one, whatever the language', () => {
    const fr = 'hub https://127.0.0.1:9 injoignable : rien ne répond à cette adresse';
    expect(joinProblem({ code: 'conflict', message: fr, key: 'hub_unreachable' })).toBe('unreachable');
    expect(joinProblem({ code: 'conflict', message: 'déjà servi', key: 'code_used' })).toBe('used');
    expect(joinProblem({ code: 'bad_input', message: 'https seulement', key: 'hub_needs_https' })).toBe('insecure');
    expect(joinProblem({ code: 'conflict', message: 'déjà appairé', key: 'already_paired' })).toBe('paired');
    expect(joinProblem({ code: 'forbidden', message: 'le hub n’a pas prouvé…', key: 'hub_unproven' })).toBe('unproven');
    expect(joinProblem({ code: 'forbidden', message: 'code inconnu ou expiré', key: 'code_unknown' })).toBe('wrongCode');
    expect(joinProblem({ code: 'bad_input', message: 'code « x » : attendu…', key: 'code_format' })).toBe('badInput');
  });
});
