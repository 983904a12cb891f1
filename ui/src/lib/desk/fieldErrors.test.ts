import { describe, expect, it } from 'vitest';
import type { FieldError } from '../bindings';
import { fieldErrorsOf } from './fieldErrors';

const missing: FieldError = { field: 'family_name', problem: { kind: 'missing' }, message: 'the family name is missing' };
const email: FieldError = {
  field: 'email',
  problem: { kind: 'not_an_email', value: 'a; b' },
  message: '"a; b" is not an e-mail address',
};

describe('fieldErrorsOf', () => {
  it('puts each refused field under its name, with its problem', () => {
    const e = fieldErrorsOf({ code: 'bad_input', message: 'family_name: …; email: …', fields: [missing, email] });
    expect(e.fields.family_name).toEqual([{ kind: 'missing' }]);
    // A value containing "; " stays whole: nothing is parsed out of the message any more.
    expect(e.fields.email).toEqual([{ kind: 'not_an_email', value: 'a; b' }]);
    expect(e.other).toBeUndefined();
  });

  it('keeps every problem of a field that has several', () => {
    const zone = (value: string): FieldError => ({
      field: 'zones_override',
      problem: { kind: 'unknown_zone', value },
      message: `unknown zone "${value}"`,
    });
    const e = fieldErrorsOf({ code: 'bad_input', message: '…', fields: [zone('MOON'), zone('MARS')] });
    expect(e.fields.zones_override?.map((p) => (p.kind === 'unknown_zone' ? p.value : ''))).toEqual(['MOON', 'MARS']);
  });

  it('keeps a refusal that names no field of the form for the top of the form', () => {
    expect(fieldErrorsOf({ code: 'not_found', message: 'no attendee with badge number BMX-000009' })).toEqual({
      fields: {},
      other: 'no attendee with badge number BMX-000009',
    });
    expect(fieldErrorsOf({ code: 'bad_input', message: 'photo: not a JPEG' }).other).toBe('photo: not a JPEG');
    const flavour: FieldError = { field: 'flavour', problem: { kind: 'missing' }, message: 'bad' };
    expect(fieldErrorsOf({ code: 'bad_input', message: '…', fields: [flavour, missing] })).toEqual({
      fields: { family_name: [{ kind: 'missing' }] },
      other: 'flavour: bad',
    });
  });
});
