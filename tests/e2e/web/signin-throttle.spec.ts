import { expect, test } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pickName } from './signin';
import { e2ePort } from './ports';

// A kiosk gate of its own (port 18089): after five wrong PINs in a row for one account it must
// wait, and the screen says how long, in French; even the right PIN waits. Its own server,
// because the wait would hold up any other test signing in from 127.0.0.1.
const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, '..', 'artifacts');
const station = `http://127.0.0.1:${e2ePort(18089)}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the server of the config');

test('five wrong PINs for an account, then the station says how long to wait, even for the right PIN', async ({ page }) => {
  await page.goto(`${station}/`);
  await pickName(page, 'Contrôle démo');
  const pin = page.getByTestId('signin-pin');
  for (const wrong of ['1234', '4321', '0000', '9876', '5555']) {
    await pin.fill(wrong);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('signin-error')).toHaveText('PIN incorrect');
  }
  await pin.fill('3333');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('signin-error')).toHaveText(/^Trop de PIN incorrects : réessayez dans (30|29) secondes\.$/);
  await expect(page.getByTestId('gate-screen')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'signin-wait.png') });
});
