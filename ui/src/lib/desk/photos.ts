import type { Backend } from '../backend';

/**
 * Object URLs of attendees' photos, fetched through the backend (the session token must go
 * with the request, so a plain `<img src="/api/…">` cannot be used, and the Tauri window has
 * no HTTP server at all). Keyed by serial and photo hash: a new photo gets a new URL.
 */
const cache = new Map<string, Promise<string | null>>();
const MAX = 400;

export function photoUrl(backend: Backend, serial: string, sha: string | null): Promise<string | null> {
  const key = `${serial}:${sha ?? ''}`;
  let found = cache.get(key);
  if (!found) {
    found = backend
      .call('attendee_photo', { serial })
      .then((blob) => URL.createObjectURL(blob))
      .catch(() => null);
    cache.set(key, found);
    if (cache.size > MAX) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) {
        const gone = cache.get(oldest);
        cache.delete(oldest);
        void gone?.then((url) => url && URL.revokeObjectURL(url));
      }
    }
  }
  return found;
}
