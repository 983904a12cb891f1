/**
 * Telling a handheld scanner's burst from human typing, with no focused field.
 *
 * Pure: feed it key events (with their timestamps) and it says when a burst
 * ended. A burst is at least `minLength` printable keys, each within `maxGapMs`
 * of the previous one and on average within `maxMeanGapMs`, ended by Enter or
 * Tab. People type far slower than that; a slow Bluetooth scanner still fits.
 * Modifier keys (a scanner presses Shift for capitals) are neither part of the
 * text nor a break. Anything else (arrows, function keys, shortcuts with Ctrl,
 * Alt or Meta) drops what was collected. The text is recovered from `code` when
 * the system's layout garbled it (see {@link recoverText}).
 *
 * A timing hiccup (the operating system stalls, a Bluetooth link stutters) can cut a
 * scanner's burst in two: the head is dropped, and the tail alone would read as a
 * code that is not a badge. A burst that follows a cut one within
 * {@link CUT_WINDOW_MS}, and is not a whole badge itself, is said to be
 * `incomplete` instead: "Lecture incomplète, rescannez".
 */
import { recoverText, usChar } from './keymap';

export interface KeyInput {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** Milliseconds (e.g. `KeyboardEvent.timeStamp`). */
  time: number;
}

export interface ScannerOptions {
  minLength: number;
  maxGapMs: number;
  maxMeanGapMs: number;
}

export const DEFAULT_SCANNER: ScannerOptions = { minLength: 6, maxGapMs: 80, maxMeanGapMs: 35 };

/** How long after a cut burst its tail (or its late Enter) still belongs to it. */
export const CUT_WINDOW_MS = 1000;

/** What every badge's text begins with (`docs/TOKEN.md`). */
const BADGE_PREFIX = 'GH1:';

export type Fed =
  /** Not part of a burst: leave the event alone. */
  | { kind: 'ignored' }
  /** Taken into the current burst. */
  | { kind: 'collected' }
  /** A burst ended with this key: `text` is what the scanner meant. */
  | { kind: 'scan'; text: string }
  /** A scanner's burst cut by a timing hiccup ended with this key: scan again. */
  | { kind: 'incomplete' };

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'OS', 'Dead']);

export class ScanBuffer {
  private keys = '';
  private codes: string | null = '';
  private first = 0;
  private last = 0;
  private count = 0;
  /** When a fast burst was last cut short by a pause (its last key), if it was. */
  private cutAt: number | null = null;

  constructor(private readonly opts: ScannerOptions = DEFAULT_SCANNER) {}

  /** Keys collected in the current burst. */
  get length(): number {
    return this.count;
  }

  reset(): void {
    this.clear();
    this.cutAt = null;
  }

  private clear(): void {
    this.keys = '';
    this.codes = '';
    this.count = 0;
  }

  feed(e: KeyInput): Fed {
    if (MODIFIERS.has(e.key)) return this.count > 0 ? { kind: 'collected' } : { kind: 'ignored' };
    if (e.key === 'Enter' || e.key === 'Tab') return this.end(e.time);
    // AltGr on a French keyboard arrives as Ctrl+Alt: a shortcut, not a scan.
    if (e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey) {
      this.reset();
      return { kind: 'ignored' };
    }
    if (this.count > 0 && e.time - this.last > this.opts.maxGapMs) {
      // A pause inside what was a scanner's burst: remember the cut.
      this.cutAt = this.fast() ? this.last : null;
      this.clear();
    }
    if (this.count === 0) this.first = e.time;
    this.keys += e.key;
    const us = usChar(e.code, e.shiftKey);
    this.codes = this.codes === null || us === null ? null : this.codes + us;
    this.last = e.time;
    this.count += 1;
    return { kind: 'collected' };
  }

  /** Enter or Tab at `now`: the burst's end, if it was one. */
  private end(now: number): Fed {
    const text = recoverText(this.keys, this.codes);
    const whole = text.toUpperCase().startsWith(BADGE_PREFIX);
    const cut = this.cutAt !== null && this.count > 0 && this.first - this.cutAt <= CUT_WINDOW_MS;
    const fast = this.fast();
    const inTime = now - this.last <= this.opts.maxGapMs;
    const count = this.count;
    this.reset();
    if (cut && !whole && (fast || count < 3)) return { kind: 'incomplete' };
    const long = count >= this.opts.minLength;
    if (long && fast && inTime) return { kind: 'scan', text };
    return { kind: 'ignored' };
  }

  /** Whether the keys collected came as a scanner sends them (three at least). */
  private fast(): boolean {
    if (this.count < 3) return false;
    const mean = (this.last - this.first) / (this.count - 1);
    return mean <= this.opts.maxMeanGapMs;
  }
}

/**
 * Listens on `target` (the document) and calls `onscan` for each burst, with the
 * time of its Enter/Tab. Keys typed into an editable field are left to the field.
 * Returns the function that stops listening.
 */
export function listenForScans(
  target: Document,
  onscan: (text: string, at: number) => void,
  opts: ScannerOptions = DEFAULT_SCANNER,
  onincomplete: () => void = () => {},
): () => void {
  const buffer = new ScanBuffer(opts);
  const handler = (ev: KeyboardEvent) => {
    const el = ev.target;
    if (el instanceof HTMLElement && (el.isContentEditable || el.closest('input, textarea, select'))) {
      buffer.reset();
      return;
    }
    const fed = buffer.feed({
      key: ev.key,
      code: ev.code,
      shiftKey: ev.shiftKey,
      ctrlKey: ev.ctrlKey,
      altKey: ev.altKey,
      metaKey: ev.metaKey,
      time: ev.timeStamp,
    });
    if (fed.kind === 'scan') {
      // Enter would press a focused button; Tab would move the focus.
      ev.preventDefault();
      onscan(fed.text, ev.timeStamp);
    } else if (fed.kind === 'incomplete') {
      ev.preventDefault();
      onincomplete();
    } else if (fed.kind === 'collected' && ev.key === ' ' && buffer.length > 1) {
      ev.preventDefault(); // no page scroll or button press mid-burst
    }
  };
  target.addEventListener('keydown', handler, true);
  return () => target.removeEventListener('keydown', handler, true);
}
