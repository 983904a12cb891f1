/**
 * The desk station's own settings, chosen once per machine and kept in localStorage
 * (they describe the station, not the person signed in): the printer its badges go to,
 * the badge format, and the kiosk mode.
 */
export type BadgeFormat = 'a6' | 'cr80';

export interface DeskSettings {
  printer: string | null;
  format: BadgeFormat;
  kiosk: boolean;
}

const KEY = 'gatehouse.desk.settings';

export const DEFAULT_SETTINGS: DeskSettings = { printer: null, format: 'a6', kiosk: false };

export function parseSettings(raw: string | null | undefined): DeskSettings {
  if (!raw) return { ...DEFAULT_SETTINGS };
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof DeskSettings, unknown>>;
    return {
      printer: typeof v.printer === 'string' && v.printer !== '' ? v.printer : null,
      format: v.format === 'cr80' ? 'cr80' : 'a6',
      kiosk: v.kiosk === true,
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

function load(): DeskSettings {
  try {
    return parseSettings(globalThis.localStorage?.getItem(KEY));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export const deskSettings = $state<DeskSettings>(load());

export function saveSettings(next: DeskSettings): void {
  deskSettings.printer = next.printer;
  deskSettings.format = next.format;
  deskSettings.kiosk = next.kiosk;
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(next));
  } catch {
    // Storage disabled: the settings last until the page closes.
  }
}
