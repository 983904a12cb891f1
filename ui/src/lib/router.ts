/** Hash routes: `#/`, `#/desk`, `#/gate/HALL`, `#/admin`. Anything else is the home screen. */
export type Route =
  | { name: 'home' }
  | { name: 'desk' }
  | { name: 'gate'; zone: string }
  | { name: 'admin' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = path === '' ? [] : path.split('/');
  const safe = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  switch (parts[0]) {
    case 'desk':
      return parts.length === 1 ? { name: 'desk' } : { name: 'home' };
    case 'admin':
      return parts.length === 1 ? { name: 'admin' } : { name: 'home' };
    case 'gate':
      return parts.length === 2 && parts[1] !== '' ? { name: 'gate', zone: safe(parts[1]) } : { name: 'home' };
    default:
      return { name: 'home' };
  }
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'desk':
      return '#/desk';
    case 'admin':
      return '#/admin';
    case 'gate':
      return `#/gate/${encodeURIComponent(route.zone)}`;
  }
}

/**
 * A station paired with a hub keeps to the role it was paired as (`paired_role` of the
 * station config): its screens follow it. `zone` is the gate's zone when the station was
 * started with one.
 */
export type Lock = { role: 'admin' | 'desk' | 'gate'; zone: string | null } | null;

/** The lock of a station config: none when standalone (or the hub itself). */
export function lockOf(station: { role: string | null; zone: string | null; paired_role?: string | null }): Lock {
  const role = station.paired_role;
  if (role !== 'admin' && role !== 'desk' && role !== 'gate') return null;
  return { role, zone: role === 'gate' && station.role === 'gate' ? station.zone : null };
}

/**
 * The route a locked station shows for `route`: a gate only a gate (its own zone when it has
 * one, else the home screen to choose the zone), a desk only the desk, an admin station only
 * the console. Unlocked, the route itself.
 */
export function lockRoute(route: Route, lock: Lock): Route {
  if (lock === null) return route;
  switch (lock.role) {
    case 'desk':
      return { name: 'desk' };
    case 'admin':
      return { name: 'admin' };
    case 'gate':
      if (lock.zone !== null) return { name: 'gate', zone: lock.zone };
      return route.name === 'gate' ? route : { name: 'home' };
  }
}

/** Whether a station's screen offers to change station ("Changer de poste"). */
export function canChangeStation(lock: Lock): boolean {
  return lock === null || (lock.role === 'gate' && lock.zone === null);
}
