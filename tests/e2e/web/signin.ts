import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

/**
 * Signing in as the product asks it (issue 14): the officer picks their name from the
 * station's list, then types their PIN. Every spec and the window test sign in through here.
 */

/** The demo accounts: name and published PIN (for trying the product on one machine). */
export const DEMO = {
  admin: { name: 'Admin démo', pin: '1111' },
  desk: { name: 'Accueil démo', pin: '2222' },
  gate: { name: 'Contrôle démo', pin: '3333' },
  supervisor: { name: 'Superviseur démo', pin: '4444' },
} as const;

/** The PINs a hub's demo accounts get before going live (`hub` and `pair` refuse the published ones). */
export const REAL_PINS = { admin: '41502963', desk: '715204', gate: '803317', supervisor: '62079148' } as const;

/** The account a demo PIN belongs to (the specs name a person by their demo PIN). */
export function nameOf(pin: string): string {
  const found = Object.values(DEMO).find((a) => a.pin === pin);
  if (!found) throw new Error(`no demo account has PIN ${pin}`);
  return found.name;
}

/** Picks `name` on the sign-in screen (typing it, then Enter), unless already picked. */
export async function pickName(page: Page, name: string): Promise<void> {
  const chosen = page.getByTestId('signin-chosen');
  const search = page.getByTestId('signin-search');
  await expect(chosen.or(search)).toBeVisible();
  if (await chosen.isVisible()) {
    if ((await chosen.textContent())?.trim() === name) return;
    await page.getByTestId('signin-other').click();
  }
  await search.fill(name);
  await expect(page.getByTestId('signin-person').first()).toHaveAttribute('data-name', name);
  await search.press('Enter');
  await expect(chosen).toHaveText(name);
}

/** Signs `name` in with `pin` on the sign-in screen (name, PIN, Enter); the outcome is the caller's to check. */
export async function signInAs(page: Page, name: string, pin: string): Promise<void> {
  await pickName(page, name);
  await page.getByTestId('signin-pin').fill(pin);
  await page.getByTestId('signin-pin').press('Enter');
}

/** A session token from a station's API: the account's id from its sign-in list, then the PIN. */
export async function apiSignIn(base: string, name: string, pin: string): Promise<string> {
  const names = (await (await fetch(`${base}/api/session/staff`)).json()) as { id: string; name: string }[];
  const account = names.find((n) => n.name === name);
  if (!account) throw new Error(`${name} is not in the sign-in list of ${base}`);
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ staff_id: account.id, pin }),
  });
  const body = (await res.json()) as { token?: string; message?: string };
  if (!res.ok || !body.token) throw new Error(`sign-in of ${name} at ${base}: ${res.status} ${body.message}`);
  return body.token;
}

/** Gives the demo accounts of `db` their real PINs (`gatehouse staff pin NAME`, the PIN on stdin), before `hub`. */
export function setRealPins(cli: string, db: string): void {
  for (const [role, { name }] of Object.entries(DEMO)) {
    execFileSync(cli, ['--db', db, 'staff', 'pin', name], {
      input: `${REAL_PINS[role as keyof typeof REAL_PINS]}\n`,
      encoding: 'utf8',
    });
  }
}
