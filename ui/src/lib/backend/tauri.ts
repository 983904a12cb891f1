import { invoke } from '@tauri-apps/api/core';
import type { Direction, EventInfo, ScanOutcome, SessionInfo, StationConfig } from '../bindings';
import type { Backend } from './index';
import { toBackendError } from './error';

/** Desktop shell: Tauri commands. A rejected invoke carries an ApiError `{code, message}`. */
export class TauriBackend implements Backend {
  /** The signed-in session's token, passed as the `session` argument of every command. */
  private token: string | null = null;
  onSessionLost: (() => void) | null = null;

  private async call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
    const withSession = this.token === null ? args : { ...args, session: this.token };
    try {
      return await invoke<T>(command, withSession);
    } catch (err) {
      const mapped = toBackendError(err);
      if (mapped.code === 'unauthenticated' && this.token !== null) {
        this.token = null;
        this.onSessionLost?.();
      }
      throw mapped;
    }
  }

  async signIn(pin: string): Promise<SessionInfo> {
    const info = await this.call<SessionInfo>('sign_in', { pin });
    this.token = info.token;
    return info;
  }

  async signOut(): Promise<void> {
    if (this.token === null) return;
    const session = this.token;
    this.token = null;
    await invoke('sign_out', { session }).catch((err: unknown) => {
      throw toBackendError(err);
    });
  }

  scan(token: string, zone: string, direction: Direction): Promise<ScanOutcome> {
    return this.call<ScanOutcome>('scan', { token, zone, direction });
  }

  event(): Promise<EventInfo> {
    return this.call<EventInfo>('get_event');
  }

  station(): Promise<StationConfig> {
    return this.call<StationConfig>('station_config');
  }
}
