import type { EventInfo, StationConfig } from '../bindings';
import { HttpBackend } from './http';
import { TauriBackend } from './tauri';

export { BackendError, toBackendError } from './error';

/** The one interface the UI talks to; Tauri IPC or HTTP behind it. */
export interface Backend {
  event(): Promise<EventInfo>;
  station(): Promise<StationConfig>;
}

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

export function pickBackend(): Backend {
  if (typeof window !== 'undefined' && window.__TAURI_INTERNALS__ !== undefined) {
    return new TauriBackend();
  }
  return new HttpBackend();
}
