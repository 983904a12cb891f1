import { invoke } from '@tauri-apps/api/core';
import type { EventInfo, StationConfig } from '../bindings';
import type { Backend } from './index';
import { toBackendError } from './error';

/** Desktop shell: Tauri commands. A rejected invoke carries an ApiError `{code, message}`. */
export class TauriBackend implements Backend {
  private async call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
    try {
      return await invoke<T>(command, args);
    } catch (err) {
      throw toBackendError(err);
    }
  }

  event(): Promise<EventInfo> {
    return this.call<EventInfo>('get_event');
  }

  station(): Promise<StationConfig> {
    return this.call<StationConfig>('station_config');
  }
}
