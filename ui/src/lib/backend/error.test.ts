import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, toBackendError } from './error';
import { setLang } from '../i18n/lang.svelte';

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

describe('a core refusal in the screen language', () => {
  const body = {
    code: 'conflict',
    message: "c'est le dernier compte organisateur actif : créez d'abord un autre compte organisateur",
    key: 'last_admin',
    text: {
      fr: "c'est le dernier compte organisateur actif : créez d'abord un autre compte organisateur",
      en: 'this is the last active organiser account: create another organiser first',
    },
  };

  afterEach(() => setLang('fr'));

  it('is said in French on a French screen and in English on an English one', () => {
    setLang('fr');
    const fr = toBackendError(body);
    expect(fr.message).toBe(body.text.fr);
    expect(fr.key).toBe('last_admin');
    setLang('en');
    expect(toBackendError(body).message).toBe(body.text.en);
  });

  it('keeps the message as sent when the core gave one language only', () => {
    setLang('en');
    expect(toBackendError({ code: 'conflict', message: 'déjà imprimé' }).message).toBe('déjà imprimé');
  });
});
