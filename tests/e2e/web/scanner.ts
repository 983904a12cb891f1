// A handheld scanner at the page, and what the gate then shows, read as an officer reads it.
import { expect, type Page } from '@playwright/test';
import { usKeyFor } from '../../../ui/src/lib/gate/keymap';

/** One key a scanner presses: what the system reports (`key`) and the physical key. */
export interface PressedKey {
  key: string;
  code: string;
  shift: boolean;
  /** A stall before this key (the link or the system hiccuping), in milliseconds. */
  stallMs?: number;
}

/** The keys a US-layout scanner presses for `text` on a US-layout system. */
export function usKeys(text: string): PressedKey[] {
  return [...text].map((ch) => {
    const us = usKeyFor(ch);
    if (!us) throw new Error(`a scanner has no key for ${JSON.stringify(ch)}`);
    return { key: ch, code: us.code, shift: us.shift };
  });
}

/**
 * Sends `keys` then Enter as a handheld scanner does: trusted key events through
 * Chromium's own input pipeline, each stamped `gapMs` after the previous one, as the
 * scanner's keyboard interface stamps them. The page judges a burst by those stamps
 * (`KeyboardEvent.timeStamp`), so a busy test machine that delays the events'
 * delivery cannot turn a scan into typing or cut it in two; a real scanner's
 * timing is what is tested, not the test runner's.
 */
export async function scannerBurst(page: Page, keys: PressedKey[], gapMs = 8): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    let at = Date.now() / 1000;
    for (const k of [...keys, { key: 'Enter', code: 'Enter', shift: false } as PressedKey]) {
      at += (k.stallMs ?? 0) / 1000;
      const text = k.key === 'Enter' ? '\r' : k.key;
      const modifiers = k.shift ? 8 : 0;
      await cdp.send('Input.dispatchKeyEvent', {
        type: 'keyDown',
        key: k.key,
        code: k.code,
        text,
        unmodifiedText: text,
        modifiers,
        timestamp: at,
      });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, modifiers, timestamp: at + 0.002 });
      at += gapMs / 1000;
    }
  } finally {
    await cdp.detach();
  }
}

/** The verdict's full-screen colours: green, amber, red. */
export const VERDICT_COLOURS = { admit: 'rgb(0, 107, 45)', warn: 'rgb(255, 194, 14)', deny: 'rgb(184, 0, 31)' };

/** A verdict as it stood on screen, every part read in the same instant. */
export interface Verdict {
  scanId: string;
  decision: string;
  /** The reason code (`data-reason`). */
  code: string;
  background: string;
  /** The words of each part, by test id without its `verdict-` prefix (`reason`, `name`…). */
  text: Record<string, string>;
}

/** The id of the verdict on screen, if one is. */
export async function currentScan(page: Page): Promise<string | null> {
  const v = page.getByTestId('verdict');
  return (await v.count()) > 0 ? v.getAttribute('data-scan-id') : null;
}

/**
 * Waits for a verdict other than `before` and reads it whole once its photo check
 * has settled. A verdict stays on screen for a few seconds, as it must for the
 * officer; reading it in one go means a slow test machine cannot miss it.
 */
export async function nextVerdict(page: Page, before: string | null, what = 'the scan'): Promise<Verdict> {
  const handle = await page.waitForFunction(
    (prev) => {
      const v = document.querySelector<HTMLElement>('[data-testid="verdict"]');
      if (!v || v.dataset.scanId === prev || v.dataset.photo === 'loading') return null;
      const text: Record<string, string> = {};
      for (const el of v.querySelectorAll<HTMLElement>('[data-testid^="verdict-"]')) {
        text[(el.dataset.testid ?? '').slice('verdict-'.length)] = (el.textContent ?? '').trim();
      }
      return {
        scanId: v.dataset.scanId ?? '',
        decision: v.dataset.decision ?? '',
        code: v.dataset.reason ?? '',
        background: getComputedStyle(v).backgroundColor,
        text,
      };
    },
    before,
    { polling: 'raf', timeout: 20_000 },
  );
  const verdict = (await handle.jsonValue()) as Verdict | null;
  if (!verdict) throw new Error(`no verdict for ${what}`);
  return verdict;
}

/** A scanner burst at the document (no focus, no click), and the verdict it gets. */
export async function scan(page: Page, text: string): Promise<Verdict> {
  const before = await currentScan(page);
  await scannerBurst(page, usKeys(text));
  return nextVerdict(page, before, `${text.slice(0, 20)}…`);
}

/** Asserts a verdict read by {@link scan}: its decision, colour, words and holder. */
export function expectVerdict(
  v: Verdict,
  decision: 'admit' | 'warn' | 'deny',
  reason: string | RegExp,
  name?: string,
): void {
  expect(v.decision, JSON.stringify(v)).toBe(decision);
  expect(v.background).toBe(VERDICT_COLOURS[decision]);
  if (typeof reason === 'string') expect(v.text.reason).toBe(reason);
  else expect(v.text.reason).toMatch(reason);
  if (name) expect(v.text.name).toBe(name);
}
