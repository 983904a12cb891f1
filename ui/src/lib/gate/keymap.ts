/**
 * Recovering what a handheld scanner meant to type.
 *
 * A scanner is a keyboard: it sends physical key positions (`KeyboardEvent.code`)
 * for the characters of the QR text, assuming a layout (usually US). On a French
 * AZERTY system the same positions are reported as other characters (`key`):
 * US "GH1:" arrives as "GH&M"‑like text. `code` is layout-independent, so the US
 * character can be rebuilt from `code` and Shift. Which reading is right is decided
 * per burst by {@link recoverText}: the one that looks like one of our tokens.
 */

/** US layout: `code` → [unshifted, shifted]. Only the keys a QR text can use. */
const US: Record<string, readonly [string, string]> = {
  Backquote: ['`', '~'],
  Digit1: ['1', '!'],
  Digit2: ['2', '@'],
  Digit3: ['3', '#'],
  Digit4: ['4', '$'],
  Digit5: ['5', '%'],
  Digit6: ['6', '^'],
  Digit7: ['7', '&'],
  Digit8: ['8', '*'],
  Digit9: ['9', '('],
  Digit0: ['0', ')'],
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Space: [' ', ' '],
  NumpadDivide: ['/', '/'],
  NumpadMultiply: ['*', '*'],
  NumpadSubtract: ['-', '-'],
  NumpadAdd: ['+', '+'],
  NumpadDecimal: ['.', '.'],
};
for (let i = 0; i < 26; i++) {
  const c = String.fromCharCode(97 + i);
  US[`Key${c.toUpperCase()}`] = [c, c.toUpperCase()];
}
for (let i = 0; i <= 9; i++) US[`Numpad${i}`] = [String(i), String(i)];

/**
 * French AZERTY (Windows/Linux "fr"): `code` → [unshifted, shifted], for tests and
 * for documenting what an officer's machine reports.
 */
export const AZERTY: Record<string, readonly [string, string]> = {
  Backquote: ['²', '²'],
  Digit1: ['&', '1'],
  Digit2: ['é', '2'],
  Digit3: ['"', '3'],
  Digit4: ["'", '4'],
  Digit5: ['(', '5'],
  Digit6: ['-', '6'],
  Digit7: ['è', '7'],
  Digit8: ['_', '8'],
  Digit9: ['ç', '9'],
  Digit0: ['à', '0'],
  Minus: [')', '°'],
  Equal: ['=', '+'],
  BracketLeft: ['^', '¨'],
  BracketRight: ['$', '£'],
  Backslash: ['*', 'µ'],
  Semicolon: ['m', 'M'],
  Quote: ['ù', '%'],
  Comma: [';', '.'],
  Period: [':', '/'],
  Slash: ['!', '§'],
  Space: [' ', ' '],
  KeyQ: ['a', 'A'],
  KeyW: ['z', 'Z'],
  KeyA: ['q', 'Q'],
  KeyZ: ['w', 'W'],
  KeyM: [',', '?'],
};
for (let i = 0; i < 26; i++) {
  const c = String.fromCharCode(97 + i);
  const code = `Key${c.toUpperCase()}`;
  if (!(code in AZERTY)) AZERTY[code] = [c, c.toUpperCase()];
}
for (let i = 0; i <= 9; i++) AZERTY[`Numpad${i}`] = [String(i), String(i)];

/** The character a US-layout device meant with this physical key, or null. */
export function usChar(code: string, shift: boolean): string | null {
  const pair = US[code];
  return pair ? pair[shift ? 1 : 0] : null;
}

/** The physical key and Shift a US-layout device presses to type `ch`, or null. */
export function usKeyFor(ch: string): { code: string; shift: boolean } | null {
  for (const [code, [plain, shifted]] of Object.entries(US)) {
    if (code.startsWith('Numpad')) continue;
    if (plain === ch) return { code, shift: false };
    if (shifted === ch) return { code, shift: true };
  }
  return null;
}

/** What an AZERTY system reports when a US-layout scanner types `ch`: `key` and `code`. */
export function azertyReported(ch: string): { key: string; code: string; shift: boolean } | null {
  const us = usKeyFor(ch);
  if (!us) return null;
  const pair = AZERTY[us.code];
  if (!pair) return null;
  return { key: pair[us.shift ? 1 : 0], code: us.code, shift: us.shift };
}

/** Our tokens: `GH1:` then Base45 (digits, capitals, space and `$%*+-./:`). */
export const TOKEN_PREFIX = 'GH1:';
const BASE45 = /^[0-9A-Z $%*+\-./:]*$/;

export function looksLikeToken(text: string): boolean {
  return text.startsWith(TOKEN_PREFIX) && BASE45.test(text.slice(TOKEN_PREFIX.length));
}

/**
 * Picks the reading of a burst: the characters as reported (`keys`), or as rebuilt
 * from the physical keys for a US-layout scanner (`codes`, null when some key had no
 * US meaning). The reported text wins when it is what is expected (`looks`: one of our
 * tokens, or a line of a document's machine-readable zone at the desk), or when neither
 * is (the verdict then says "not ours" about what the officer's system saw).
 */
export function recoverText(
  keys: string,
  codes: string | null,
  looks: (text: string) => boolean = looksLikeToken,
): string {
  if (looks(keys) || codes === null) return keys;
  if (looks(codes)) return codes;
  return keys;
}
