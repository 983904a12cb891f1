import { describe, expect, it } from 'vitest';
import { azertyReported, usKeyFor } from '../gate/keymap';
import type { KeyInput } from '../gate/scanner';
import { MrzReader, nameCase, type MrzFed } from './mrzReader';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

function key(k: string, code: string, shift: boolean, time: number): KeyInput {
  return { key: k, code, shiftKey: shift, ctrlKey: false, altKey: false, metaKey: false, time };
}

/** A reader typing `lines` (each then Enter), `gap` ms apart: as a US system or an AZERTY one reports it. */
function typed(lines: string[], layout: 'us' | 'azerty', gap = 8, start = 1000): KeyInput[] {
  const out: KeyInput[] = [];
  let t = start;
  for (const line of lines) {
    for (const ch of line) {
      const us = usKeyFor(ch);
      if (!us) throw new Error(ch);
      const reported = layout === 'us' ? ch : azertyReported(ch)?.key ?? '';
      out.push(key(reported, us.code, us.shift, (t += gap)));
    }
    out.push(key('Enter', 'Enter', false, (t += gap)));
  }
  return out;
}

function feedAll(reader: MrzReader, keys: KeyInput[]): MrzFed[] {
  return keys.map((k) => reader.feed(k));
}

describe('MrzReader', () => {
  it('reads a passport line by line, keeping the Enter between lines from the page', () => {
    const fed = feedAll(new MrzReader(), typed(TD3, 'us'));
    const ends = fed.filter((f) => f.kind !== 'collected');
    expect(ends).toEqual([{ kind: 'swallow' }, { kind: 'mrz', text: TD3.join('\n') }]);
  });

  it('recovers an ID card typed by a US-layout reader on an AZERTY system', () => {
    const keys = typed(TD1, 'azerty');
    expect(keys.map((k) => k.key).join('')).toContain('&'); // what the system reports for 1
    expect(keys.map((k) => k.key).join('')).toContain('.'); // and for <
    const fed = feedAll(new MrzReader(), keys);
    expect(fed.at(-1)).toEqual({ kind: 'mrz', text: TD1.join('\n') });
    expect(fed.filter((f) => f.kind === 'swallow')).toHaveLength(2);
  });

  it('reads one run without line breaks', () => {
    const fed = feedAll(new MrzReader(), typed([TD3.join('')], 'us'));
    expect(fed.at(-1)).toEqual({ kind: 'mrz', text: TD3.join('') });
  });

  it('leaves a person typing alone, even an MRZ-looking line', () => {
    const fed = feedAll(new MrzReader(), typed(TD3, 'us', 120));
    expect(fed.every((f) => f.kind === 'collected' || f.kind === 'ignored')).toBe(true);
    const name = feedAll(new MrzReader(), typed(['DUPONT'], 'us'));
    expect(name.at(-1)).toEqual({ kind: 'ignored' });
  });

  it('forgets a first line whose next one never comes', () => {
    const reader = new MrzReader();
    feedAll(reader, typed([TD3[0]], 'us'));
    const fed = feedAll(reader, typed([TD3[1]], 'us', 8, 10_000));
    // A line alone, awaiting its own next one: never the MRZ of the two.
    expect(fed.at(-1)).toEqual({ kind: 'swallow' });
    expect(fed.some((f) => f.kind === 'mrz')).toBe(false);
  });
});

describe('nameCase', () => {
  it('writes MRZ capitals as a name', () => {
    expect(nameCase('ANNA MARIA')).toBe('Anna Maria');
    expect(nameCase('ERIKSSON')).toBe('Eriksson');
    expect(nameCase("O'NEILL-SMITH")).toBe("O'Neill-Smith");
  });
});
