import { describe, expect, it } from 'vitest';
import { azertyReported, looksLikeToken, recoverText, usChar, usKeyFor } from './keymap';

const TOKEN = 'GH1:RRQT 9P60GO0W8LQ81SJCBHO8CKJ.9:70-G8QY9X6BPV6MJD0Z93W5646646%86DF3.Y1ZAWDF3/41600DF31C1F$Q1+*';

describe('keymap', () => {
  it('rebuilds US characters from physical keys', () => {
    expect(usChar('KeyQ', false)).toBe('q');
    expect(usChar('KeyQ', true)).toBe('Q');
    expect(usChar('Digit1', false)).toBe('1');
    expect(usChar('Semicolon', true)).toBe(':');
    expect(usChar('Digit4', true)).toBe('$');
    expect(usChar('Space', false)).toBe(' ');
    expect(usChar('F5', false)).toBeNull();
  });

  it('knows what an AZERTY system reports for a US scanner', () => {
    expect(azertyReported('A')).toEqual({ key: 'Q', code: 'KeyA', shift: true });
    expect(azertyReported('1')).toEqual({ key: '&', code: 'Digit1', shift: false });
    expect(azertyReported(':')).toEqual({ key: 'M', code: 'Semicolon', shift: true });
    expect(azertyReported('M')).toEqual({ key: '?', code: 'KeyM', shift: true });
  });

  it('every character of a token has a US key', () => {
    for (const ch of TOKEN) expect(usKeyFor(ch), ch).not.toBeNull();
  });

  it('recognises tokens', () => {
    expect(looksLikeToken(TOKEN)).toBe(true);
    expect(looksLikeToken('GH1:abc')).toBe(false);
    expect(looksLikeToken('HELLO')).toBe(false);
  });

  it('recovers a token typed by a US scanner on AZERTY', () => {
    const reported = [...TOKEN].map((c) => azertyReported(c));
    const keys = reported.map((r) => r?.key ?? '').join('');
    const codes = reported.map((r) => (r ? usChar(r.code, r.shift) : '')).join('');
    expect(keys).not.toBe(TOKEN);
    expect(keys.startsWith('GH&M')).toBe(true);
    expect(recoverText(keys, codes)).toBe(TOKEN);
  });

  it('keeps correctly reported text, and text that is no token at all', () => {
    expect(recoverText(TOKEN, 'garbage')).toBe(TOKEN);
    expect(recoverText('hello world', 'hello world')).toBe('hello world');
    expect(recoverText('GH&M', null)).toBe('GH&M');
  });
});
