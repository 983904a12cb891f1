import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from './settings.svelte';

describe('parseSettings', () => {
  it('falls back to the defaults on nothing or junk', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('{nope')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('{"printer": 3, "format": "a4", "kiosk": "yes"}')).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps valid values', () => {
    expect(parseSettings('{"printer":"GatehousePDF","format":"cr80","kiosk":true}')).toEqual({
      printer: 'GatehousePDF',
      format: 'cr80',
      kiosk: true,
    });
  });
});
