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
