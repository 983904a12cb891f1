import { expect, test } from '@playwright/test';
import { e2ePort } from './ports';

// `gatehouse serve --role gate --zone HALL` (port 18081, see playwright.config.ts):
// the station opens its gate screen without anyone choosing it.
const kiosk = process.env.GATEHOUSE_KIOSK_URL ?? `http://127.0.0.1:${e2ePort(18081)}`;

test('a kiosk gate station opens its screen directly', async ({ page }) => {
  test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the kiosk server of the config');
  const station = await (await page.request.get(`${kiosk}/api/station`)).json();
  expect(station).toEqual({ role: 'gate', zone: 'HALL', paired_role: null, name: null, tls_fingerprint: null, demo_pins: 4 });
  await page.goto(`${kiosk}/`);
  await expect(page).toHaveURL(/#\/gate\/HALL$/);
  await expect(page.getByTestId('station-title')).toContainText("Hall d'exposition");
});

test('the API answers errors as {code, message}', async ({ request }) => {
  const res = await request.get('/api/nothing-here');
  expect(res.status()).toBe(404);
  const body = await res.json();
  expect(body.code).toBe('not_found');
  expect(body.message).toContain('/api/nothing-here');
});
