/**
 * A document reader at the desk: a passport's or ID card's machine-readable zone (ICAO 9303)
 * typed in keyboard mode, line by line, each line ended by Enter, faster than anyone types.
 *
 * Pure: feed it key events with their timestamps, wherever the focus is (the search box, a
 * form field, a button), and it says when the keys so far are an MRZ. The reader's Enter
 * between lines must not act on the page (open a search result, press the print button):
 * {@link MrzReader.feed} says `swallow` for it. A burst is recognised by its shape alone:
 * 3 lines of 30, 2 of 36 or 2 of 44 characters from `A`–`Z`, `0`–`9` and `<`, or one run of
 * 90, 72 or 88, each key within `maxGapMs` of the previous one and on average within
 * `maxMeanGapMs` (people type far slower). A reader set to a US layout on an AZERTY system
 * types `.` for `<` and `&é"'(` for digits: each line is recovered from the physical keys as
 * the gate's scanner does ({@link recoverText}, {@link usChar}).
 */
import { recoverText, usChar } from '../gate/keymap';
import type { KeyInput } from '../gate/scanner';

export interface MrzReaderOptions {
  maxGapMs: number;
  maxMeanGapMs: number;
}

export const DEFAULT_MRZ_READER: MrzReaderOptions = { maxGapMs: 80, maxMeanGapMs: 35 };

export type MrzFed =
  /** Not part of a document's burst: leave the event alone. */
  | { kind: 'ignored' }
  /** Taken into the current burst (the key still reaches the focused field). */
  | { kind: 'collected' }
  /** The Enter between two lines of an MRZ: keep it from the page. */
  | { kind: 'swallow' }
  /** The burst is an MRZ (this Enter ended it): its lines, separated by `\n`. */
  | { kind: 'mrz'; text: string };

const LINE = /^[A-Z0-9<]+$/;
/** Line count by line length, for the three ICAO 9303 formats. */
const SHAPES: Record<number, number> = { 30: 3, 36: 2, 44: 2 };
const RUNS = new Set([90, 72, 88]);
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'OS', 'Dead']);

export function looksLikeMrzLine(text: string): boolean {
  return LINE.test(text);
}

export class MrzReader {
  private keys = '';
  private codes: string | null = '';
  private lines: string[] = [];
  private first = 0;
  private last = 0;
  private count = 0;

  constructor(private readonly opts: MrzReaderOptions = DEFAULT_MRZ_READER) {}

  /** Keys collected since the burst began (lines and line ends included). */
  get length(): number {
    return this.count;
  }

  reset(): void {
    this.keys = '';
    this.codes = '';
    this.lines = [];
    this.count = 0;
  }

  feed(e: KeyInput): MrzFed {
    if (MODIFIERS.has(e.key)) return this.count > 0 ? { kind: 'collected' } : { kind: 'ignored' };
    if (this.count > 0 && e.time - this.last > this.opts.maxGapMs) this.reset();
    if (e.key === 'Enter' || e.key === 'Tab') return this.lineEnd(e.time);
    if (e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey) {
      this.reset();
      return { kind: 'ignored' };
    }
    if (this.count === 0) this.first = e.time;
    this.keys += e.key;
    const us = usChar(e.code, e.shiftKey);
    this.codes = this.codes === null || us === null ? null : this.codes + us;
    this.last = e.time;
    this.count += 1;
    return { kind: 'collected' };
  }

  private lineEnd(now: number): MrzFed {
    const line = recoverText(this.keys, this.codes, looksLikeMrzLine).toUpperCase();
    const fast = this.count >= 3 && (this.last - this.first) / (this.count - 1) <= this.opts.maxMeanGapMs;
    if (!fast || !looksLikeMrzLine(line)) {
      this.reset();
      return { kind: 'ignored' };
    }
    if (this.lines.length === 0 && RUNS.has(line.length)) {
      this.reset();
      return { kind: 'mrz', text: line };
    }
    const want = SHAPES[line.length];
    const same = this.lines.every((l) => l.length === line.length);
    if (!want || !same) {
      this.reset();
      return { kind: 'ignored' };
    }
    this.lines.push(line);
    if (this.lines.length === want) {
      const text = this.lines.join('\n');
      this.reset();
      return { kind: 'mrz', text };
    }
    // The next line follows: the burst goes on through this Enter.
    this.keys = '';
    this.codes = '';
    this.last = now;
    this.count += 1;
    return { kind: 'swallow' };
  }
}

/** `ERIKSSON` → `Eriksson`, `ANNA MARIA` → `Anna Maria`: MRZ capitals as a name is written. */
export function nameCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[\s'-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** What an identity document gives a walk-in's form. */
export interface FromDocument {
  family_name: string;
  given_names: string;
  /** The product's country code (alpha-2), when the nationality is a country it knows. */
  country: string | null;
  doc_type: string;
  doc_number: string;
  /** `YYYY-MM-DD`. */
  birth_date: string | null;
}
