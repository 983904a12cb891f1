/**
 * Live configuration (issue 21): `App` watches the backend (server-sent events from `serve`, the
 * window's stamp) and, when the event, the badge template or the staff accounts change, reloads
 * the event and the station in place — nobody is signed out. `live.version` counts those changes:
 * a screen that shows something drawn from them (the desk's badge preview) reloads on it.
 */
export const live = $state<{ version: number; demoPins: number }>({ version: 0, demoPins: 0 });
