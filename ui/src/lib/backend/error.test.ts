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

  it('maps strings, errors and junk to internal', () => {
    expect(toBackendError('command get_event not found').code).toBe('internal');
    expect(toBackendError(new Error('boom')).code).toBe('internal');
    expect(toBackendError(null).code).toBe('internal');
  });
});
