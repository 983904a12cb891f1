import { describe, expect, it } from 'vitest';
import { azertyReported, usKeyFor } from './keymap';
import { ScanBuffer, type Fed, type KeyInput } from './scanner';

const TOKEN = 'GH1:RRQT 9P60GO0W8LQ81SJCBHO8CKJ.9:70-G8QY9X6BPV6MJD0Z93W5646646%86DF3.Y1ZAWDF3/41600DF31C1F$Q1+*';

function key(k: string, time: number, extra: Partial<KeyInput> = {}): KeyInput {
  const us = k.length === 1 ? usKeyFor(k) : null;
  return {
    key: k,
    code: us?.code ?? k,
    shiftKey: us?.shift ?? false,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    time,
    ...extra,
  };
}

/** Types `text` then `end` with `gap` ms between keys; returns what the last key gave. */
function type(buf: ScanBuffer, text: string, gap: number, end = 'Enter', start = 1000): Fed {
  let t = start;
  for (const ch of text) {
    buf.feed(key(ch, t));
    t += gap;
  }
  return buf.feed(key(end, t));
}

describe('ScanBuffer', () => {
  it('takes a fast burst ended by Enter or Tab', () => {
    expect(type(new ScanBuffer(), TOKEN, 8)).toEqual({ kind: 'scan', text: TOKEN });
    expect(type(new ScanBuffer(), TOKEN, 8, 'Tab')).toEqual({ kind: 'scan', text: TOKEN });
  });

  it('tolerates a jittery Bluetooth scanner', () => {
    const buf = new ScanBuffer();
    let t = 0;
    [...TOKEN].forEach((ch, i) => {
      buf.feed(key(ch, t));
      t += i % 10 === 0 ? 70 : 10;
    });
    expect(buf.feed(key('Enter', t))).toEqual({ kind: 'scan', text: TOKEN });
  });

  it('ignores human typing and stray keys', () => {
    expect(type(new ScanBuffer(), 'hello world', 120)).toEqual({ kind: 'ignored' });
    expect(type(new ScanBuffer(), 'abc', 5)).toEqual({ kind: 'ignored' }); // too short
    expect(new ScanBuffer().feed(key('Enter', 0))).toEqual({ kind: 'ignored' });
    expect(new ScanBuffer().feed(key('ArrowUp', 0))).toEqual({ kind: 'ignored' });
  });

  it('starts afresh after a pause, so stray keys before a scan do not stick to it', () => {
    const buf = new ScanBuffer();
    buf.feed(key('x', 0));
    buf.feed(key('y', 150));
    expect(type(buf, TOKEN, 5, 'Enter', 2000)).toEqual({ kind: 'scan', text: TOKEN });
  });

  it('a shortcut or a navigation key drops the burst', () => {
    const buf = new ScanBuffer();
    let t = 0;
    for (const ch of TOKEN.slice(0, 20)) buf.feed(key(ch, (t += 5)));
    buf.feed(key('c', (t += 5), { ctrlKey: true }));
    for (const ch of 'ABC') buf.feed(key(ch, (t += 5)));
    expect(buf.feed(key('Enter', (t += 5)))).toEqual({ kind: 'ignored' });
  });

  it('Shift between characters is neither text nor a break', () => {
    const buf = new ScanBuffer();
    let t = 0;
    for (const ch of TOKEN) {
      buf.feed(key('Shift', (t += 3)));
      buf.feed(key(ch, (t += 3)));
    }
    expect(buf.feed(key('Enter', (t += 3)))).toEqual({ kind: 'scan', text: TOKEN });
  });

  it('a burst whose Enter comes late is not a scan', () => {
    const buf = new ScanBuffer();
    let t = 0;
    for (const ch of TOKEN) buf.feed(key(ch, (t += 5)));
    expect(buf.feed(key('Enter', t + 500))).toEqual({ kind: 'ignored' });
  });

  it('recovers AZERTY-reported input from the physical keys', () => {
    const buf = new ScanBuffer();
    let t = 0;
    for (const ch of TOKEN) {
      const r = azertyReported(ch);
      if (!r) throw new Error(`no key for ${ch}`);
      buf.feed({ ...key(r.key, (t += 5)), code: r.code, shiftKey: r.shift });
    }
    expect(buf.feed(key('Enter', (t += 5)))).toEqual({ kind: 'scan', text: TOKEN });
  });

  it('says a burst cut by a timing hiccup is incomplete, not a code that is no badge', () => {
    // The operating system stalls for 200 ms in the middle of the burst.
    const buf = new ScanBuffer();
    let t = 0;
    let last: Fed = { kind: 'ignored' };
    [...TOKEN].forEach((ch, i) => {
      if (i === 40) t += 200;
      last = buf.feed(key(ch, t));
      t += 8;
    });
    expect(last).toEqual({ kind: 'collected' });
    expect(buf.feed(key('Enter', t))).toEqual({ kind: 'incomplete' });
    // The stall just before the last two keys: the tail is too short to be a burst.
    const short = new ScanBuffer();
    t = 0;
    [...TOKEN].forEach((ch, i) => {
      if (i === TOKEN.length - 2) t += 200;
      short.feed(key(ch, t));
      t += 8;
    });
    expect(short.feed(key('Enter', t))).toEqual({ kind: 'incomplete' });
    // Scanned again, whole: a scan.
    expect(type(short, TOKEN, 8, 'Enter', t + 2000)).toEqual({ kind: 'scan', text: TOKEN });
  });

  it('does not take a person typing after a scan for a cut burst', () => {
    const buf = new ScanBuffer();
    expect(type(buf, TOKEN, 8)).toEqual({ kind: 'scan', text: TOKEN });
    expect(type(buf, 'hello', 150, 'Enter', 100_000)).toEqual({ kind: 'ignored' });
  });
});
