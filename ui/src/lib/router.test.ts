import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './router';

describe('router', () => {
  it('parses the gate route with its zone', () => {
    expect(parseRoute('#/gate/HALL')).toEqual({ name: 'gate', zone: 'HALL' });
  });

  it('parses the other routes', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/')).toEqual({ name: 'home' });
    expect(parseRoute('#/desk')).toEqual({ name: 'desk' });
    expect(parseRoute('#/admin/')).toEqual({ name: 'admin' });
    expect(parseRoute('#/gate')).toEqual({ name: 'home' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'home' });
  });

  it('round-trips routes through the hash', () => {
    for (const route of [
      { name: 'home' },
      { name: 'desk' },
      { name: 'admin' },
      { name: 'gate', zone: 'HALL' },
      { name: 'gate', zone: 'A/B é' },
    ] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
  });
});
