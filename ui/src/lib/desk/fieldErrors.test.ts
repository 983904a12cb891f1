import { describe, expect, it } from 'vitest';
import { splitFieldErrors } from './fieldErrors';

describe('splitFieldErrors', () => {
  it('puts each refused field under its name', () => {
    const e = splitFieldErrors('family_name: the family name is missing; email: "a b" is not an e-mail address');
    expect(e.family_name).toBe('the family name is missing');
    expect(e.email).toBe('"a b" is not an e-mail address');
    expect(e['']).toBeUndefined();
  });

  it('keeps a value containing "; " whole', () => {
    const e = splitFieldErrors('country: unknown country "a; b"');
    expect(e.country).toBe('unknown country "a; b"');
  });

  it('keeps a message that names no field for the top of the form', () => {
    expect(splitFieldErrors('no attendee with badge number BMX-000009')['']).toBe(
      'no attendee with badge number BMX-000009',
    );
    expect(splitFieldErrors('flavour: bad')['']).toBe('flavour: bad');
  });
});
