/**
 * The station's current session: who is signed in, and the idle lock.
 *
 * The token is kept in sessionStorage (never localStorage): reloading the
 * page keeps the officer signed in (`restoreSession` asks the core whether
 * the session is still open), closing the tab or window ends it, which is
 * what a shared kiosk wants. The backend holds the token and attaches it to
 * every call; this module keeps the
 * person's name and role for the screens, and locks the station after
 * `idle_timeout_s` without keyboard, pointer or touch input (a scanner
 * burst is keyboard input too).
 */
import type { Backend } from './backend';
import { BackendError, toBackendError } from './backend';
import type { Role, SessionInfo } from './bindings';

export type SignInResult = { ok: true; info: SessionInfo } | { ok: false; error: BackendError };

/** The signed-in staff member, or null. `locked` says the last sign-out was the idle lock. */
export const session = $state<{ info: SessionInfo | null; locked: boolean }>({ info: null, locked: false });

let idleTimer: ReturnType<typeof setTimeout> | null = null;
let bound: Backend | null = null;

const ACTIVITY = ['keydown', 'pointerdown', 'touchstart', 'wheel'] as const;

function clearIdle(): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
}

function armIdle(): void {
  clearIdle();
  const info = session.info;
  if (!info || !bound) return;
  const backend = bound;
  idleTimer = setTimeout(() => {
    void signOut(backend, true);
  }, info.idle_timeout_s * 1000);
}

/** Any user input restarts the idle countdown. */
function onActivity(): void {
  if (session.info) armIdle();
}

function listen(on: boolean): void {
  if (typeof document === 'undefined') return;
  for (const type of ACTIVITY) {
    if (on) document.addEventListener(type, onActivity, { capture: true, passive: true });
    else document.removeEventListener(type, onActivity, { capture: true });
  }
}

const STORED = 'gatehouse.session';

function keep(token: string | null): void {
  try {
    if (token === null) globalThis.sessionStorage?.removeItem(STORED);
    else globalThis.sessionStorage?.setItem(STORED, token);
  } catch {
    // Storage disabled: a reload signs out, as before.
  }
}

function forget(locked: boolean): void {
  clearIdle();
  listen(false);
  session.info = null;
  session.locked = locked;
  keep(null);
}

function begin(backend: Backend, info: SessionInfo): void {
  bound = backend;
  // The core rejected the token (idle there, restart…): back to the PIN screen.
  backend.onSessionLost = () => forget(true);
  session.info = info;
  session.locked = false;
  keep(info.token);
  listen(true);
  armIdle();
}

/**
 * After a reload: the session this tab had, if the core still holds it open (not idle, not
 * restarted). Never throws; without one the PIN screen shows as usual.
 */
export async function restoreSession(backend: Backend): Promise<void> {
  let token: string | null = null;
  try {
    token = globalThis.sessionStorage?.getItem(STORED) ?? null;
  } catch {
    token = null;
  }
  if (token === null || session.info !== null) return;
  try {
    begin(backend, await backend.resume(token));
  } catch {
    keep(null);
  }
}

/**
 * The account last signed in here: after the idle lock the sign-in screen
 * offers it first, so the officer only types their PIN again.
 */
export const lastAccount = $state<{ id: string | null }>({ id: null });

/** Signs staff member `staffId` in with their PIN. A wrong PIN comes back as `{ok: false, error.code: 'unauthenticated'}`. */
export async function signIn(backend: Backend, staffId: string, pin: string): Promise<SignInResult> {
  try {
    const info = await backend.signIn(staffId, pin);
    lastAccount.id = staffId;
    begin(backend, info);
    return { ok: true, info };
  } catch (err) {
    return { ok: false, error: toBackendError(err) };
  }
}

/** Signs out (the idle lock passes `locked = true`). Never throws: the local session is gone either way. */
export async function signOut(backend: Backend, locked = false): Promise<void> {
  forget(locked);
  try {
    await backend.signOut();
  } catch (err) {
    console.warn('sign-out failed', err);
  }
}

/** Whether the current session's role may use a screen open to `roles`. */
export function allowedHere(roles: readonly Role[]): boolean {
  return session.info !== null && roles.includes(session.info.role);
}
