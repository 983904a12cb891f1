import { parseRoute, routeHash, type Route } from './router';

/** The current route, kept in step with `location.hash`. */
export const router = $state<{ route: Route }>({ route: parseRoute(globalThis.location?.hash ?? '') });

/** Starts following `hashchange`; returns the function that stops it. */
export function followHash(): () => void {
  const update = () => {
    router.route = parseRoute(location.hash);
  };
  window.addEventListener('hashchange', update);
  update();
  return () => window.removeEventListener('hashchange', update);
}

export function navigate(route: Route, replace = false): void {
  const hash = routeHash(route);
  if (replace) {
    history.replaceState(history.state, '', hash);
  } else if (location.hash !== hash) {
    location.hash = hash;
    return; // hashchange updates the route
  }
  router.route = route;
}
