import { describe, expect, it } from 'vitest';
import { canChangeStation, lockOf, lockRoute, parseRoute, routeHash } from './router';

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

describe('a paired station keeps to its role', () => {
  const every = [{ name: 'home' }, { name: 'desk' }, { name: 'admin' }, { name: 'gate', zone: 'VIP' }] as const;

  it('standalone (or the hub): every screen, as before', () => {
    const lock = lockOf({ role: 'gate', zone: 'HALL', paired_role: null });
    expect(lock).toBeNull();
    for (const r of every) expect(lockRoute(r, lock)).toEqual(r);
    expect(canChangeStation(lock)).toBe(true);
  });

  it('a gate offers only the gate, its own zone when it was started with one', () => {
    const fixed = lockOf({ role: 'gate', zone: 'HALL', paired_role: 'gate' });
    for (const r of every) expect(lockRoute(r, fixed)).toEqual({ name: 'gate', zone: 'HALL' });
    expect(canChangeStation(fixed)).toBe(false);
    const free = lockOf({ role: null, zone: null, paired_role: 'gate' });
    expect(lockRoute({ name: 'desk' }, free)).toEqual({ name: 'home' });
    expect(lockRoute({ name: 'admin' }, free)).toEqual({ name: 'home' });
    expect(lockRoute({ name: 'gate', zone: 'VIP' }, free)).toEqual({ name: 'gate', zone: 'VIP' });
    // Back to the home screen, which then offers only the gate's zones.
    expect(canChangeStation(free)).toBe(true);
  });

  it('a desk only the desk, an admin station only the console', () => {
    const desk = lockOf({ role: null, zone: null, paired_role: 'desk' });
    const admin = lockOf({ role: 'desk', zone: null, paired_role: 'admin' });
    for (const r of every) {
      expect(lockRoute(r, desk)).toEqual({ name: 'desk' });
      expect(lockRoute(r, admin)).toEqual({ name: 'admin' });
    }
    expect(canChangeStation(desk)).toBe(false);
    expect(canChangeStation(admin)).toBe(false);
  });
});
