import { expect, type Page } from '@playwright/test';

/**
 * Types `text` at the gate as a USB scanner sends it (characters, then Enter) and waits for
 * the verdict it makes. On a machine this busy, typing can pause longer than a scanner ever
 * does and the gate says "Lecture incomplète, rescannez" (as it must for a real hiccup): the
 * officer scans again, and so does this, up to five times.
 */
export async function scanBurst(page: Page, text: string): Promise<void> {
  const scanId = async (): Promise<string | null> => {
    const v = page.getByTestId('verdict');
    return (await v.count()) > 0 ? v.getAttribute('data-scan-id') : null;
  };
  const before = await scanId();
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    let outcome: 'verdict' | 'cut' | null = null;
    await expect
      .poll(
        async () => {
          if ((await scanId()) !== before) outcome = 'verdict';
          else if ((await page.getByTestId('gate-incomplete').count()) > 0) outcome = 'cut';
          return outcome;
        },
        { message: `a verdict for ${text.slice(0, 20)}…` },
      )
      .not.toBeNull();
    if (outcome === 'verdict') return;
  }
  throw new Error(`five scans of ${text.slice(0, 20)}… were all cut`);
}
