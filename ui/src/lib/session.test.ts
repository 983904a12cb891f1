import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from './backend';
import { BackendError } from './backend';
import { allowedHere, restoreSession, session, signIn, signOut } from './session.svelte';

function fakeBackend(): Backend & { signOut: ReturnType<typeof vi.fn> } {
  return {
    onSessionLost: null,
    signIn: vi.fn(async (staffId: string, pin: string) => {
      if (staffId !== 'id-gate' || pin !== '3333') throw new BackendError('unauthenticated', 'wrong PIN');
      return { token: 't', name: 'Contrôle démo', role: 'gate' as const, idle_timeout_s: 10 };
    }),
    signOut: vi.fn(async () => {}),
  } as unknown as Backend & { signOut: ReturnType<typeof vi.fn> };
}

describe('session', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a wrong PIN is an unauthenticated error and signs nobody in', async () => {
    const result = await signIn(fakeBackend(), 'id-gate', '0000');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unauthenticated');
    expect(session.info).toBeNull();
  });

  it('signs in, checks the role, locks after the idle timeout', async () => {
    vi.useFakeTimers();
    const backend = fakeBackend();
    expect((await signIn(backend, 'id-gate', '3333')).ok).toBe(true);
    expect(session.info?.name).toBe('Contrôle démo');
    expect(allowedHere(['gate', 'admin'])).toBe(true);
    expect(allowedHere(['desk'])).toBe(false);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(session.info).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(session.info).toBeNull();
    expect(session.locked).toBe(true);
    expect(backend.signOut).toHaveBeenCalledOnce();
  });

  it('goes back to the PIN screen when the core says the session is gone', async () => {
    const backend = fakeBackend();
    await signIn(backend, 'id-gate', '3333');
    backend.onSessionLost?.();
    expect(session.info).toBeNull();
    expect(session.locked).toBe(true);
    await signIn(backend, 'id-gate', '3333');
    await signOut(backend);
    expect(session.info).toBeNull();
    expect(session.locked).toBe(false);
  });

  it('a reloaded page resumes the session the core still holds; a closed one asks for the PIN', async () => {
    const stored = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    });
    try {
      const backend = fakeBackend();
      await signIn(backend, 'id-gate', '3333');
      expect([...stored.values()]).toEqual(['t']);
      // The page reloads: the module's state is gone, the tab's storage is not.
      session.info = null;
      const again = Object.assign(fakeBackend(), {
        resume: vi.fn(async (token: string) => ({ token, name: 'Contrôle démo', role: 'gate' as const, idle_timeout_s: 10 })),
      });
      await restoreSession(again);
      expect(again.resume).toHaveBeenCalledWith('t');
      expect((session.info as { name: string } | null)?.name).toBe('Contrôle démo');
      // Signed out: nothing to resume.
      await signOut(again);
      expect(stored.size).toBe(0);
      // A token the core no longer holds is forgotten.
      stored.set('gatehouse.session', 'old');
      const refused = Object.assign(fakeBackend(), {
        resume: vi.fn(async () => {
          throw new BackendError('unauthenticated', 'sign in with your PIN');
        }),
      });
      await restoreSession(refused);
      expect(session.info).toBeNull();
      expect(stored.size).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
