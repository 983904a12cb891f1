import { describe, expect, it } from 'vitest';
import { BackendError, toBackendError } from './error';

describe('toBackendError', () => {
  it('keeps the code of an ApiError object (what a rejected Tauri invoke carries)', () => {
    const err = toBackendError({ code: 'conflict', message: 'already printed' });
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('conflict');
    expect(err.message).toBe('already printed');
  });

  it('keeps the refused fields of a bad_input (a rejected invoke and an HTTP body alike), dropping junk', () => {
    const good = { field: 'email', problem: { kind: 'not_an_email', value: 'a b' }, message: '"a b" is not an e-mail address' };
    const err = toBackendError({ code: 'bad_input', message: 'email: …', fields: [good, { field: 3 }, 'x'] });
    expect(err.fields).toEqual([good]);
    expect(toBackendError({ code: 'conflict', message: 'x' }).fields).toBeUndefined();
  });

  it('keeps how long to wait after too many wrong PINs', () => {
    const err = toBackendError({ code: 'too_many_attempts', message: 'too many wrong PINs: try again in 30 s', retry_after_s: 30 });
    expect(err.code).toBe('too_many_attempts');
    expect(err.retryAfterS).toBe(30);
    expect(toBackendError({ code: 'unauthenticated', message: 'wrong PIN' }).retryAfterS).toBeUndefined();
  });

  it('maps strings, errors and junk to internal', () => {
    expect(toBackendError('command get_event not found').code).toBe('internal');
    expect(toBackendError(new Error('boom')).code).toBe('internal');
    expect(toBackendError(null).code).toBe('internal');
  });
});
