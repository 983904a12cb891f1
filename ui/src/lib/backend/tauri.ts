import type {
  Attendee,
  BatchPdfRequest,
  EventInfo,
  FirstStart,
  ImportPreview,
  ImportProgress,
  JoinOutcome,
  Mapping,
  NewEvent,
  Operations,
  PdfBatchSaved,
  PdfRequest,
  PdfSaved,
  ReportFormat,
  ReportKind,
  RollcallFormat,
  SavedFile,
  SessionInfo,
  SignInName,
  StationConfig,
  WatchlistImported,
} from '../bindings';
import { OPERATION_PICTURES } from '../bindings';
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Lang } from '../i18n/dictionaries';
import type { BadgePdf, BadgesPdf, Backend, SavedExport } from './index';
import { toBackendError } from './error';

/** Desktop shell: Tauri commands. A rejected invoke carries an ApiError `{code, message}`. */
export class TauriBackend implements Backend {
  /** The signed-in session's token, passed as the `session` argument of every command. */
  private token: string | null = null;
  onSessionLost: (() => void) | null = null;

  private async command<T>(command: string, args?: Record<string, unknown>): Promise<T> {
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

  /** Every operation of the table through the one `call` command; pictures arrive as an `ArrayBuffer`. */
  async call<N extends keyof Operations>(op: N, args: Operations[N]['input']): Promise<Operations[N]['output']> {
    const answer = await this.command<unknown>('call', { op, args });
    const picture = OPERATION_PICTURES[op];
    if (picture !== undefined) return new Blob([answer as ArrayBuffer], { type: picture }) as Operations[N]['output'];
    return answer as Operations[N]['output'];
  }

  signInNames(): Promise<SignInName[]> {
    return this.command<SignInName[]>('sign_in_names');
  }

  async signIn(staffId: string, pin: string): Promise<SessionInfo> {
    const info = await this.command<SessionInfo>('sign_in', { staffId, pin });
    this.token = info.token;
    return info;
  }

  async resume(token: string): Promise<SessionInfo> {
    const info = await invoke<SessionInfo>('resume_session', { session: token }).catch((err: unknown) => {
      throw toBackendError(err);
    });
    this.token = info.token;
    return info;
  }

  /** The window looks at the configuration's stamp every two seconds (`serve`'s pages are told). */
  watchConfig(onchange: () => void): () => void {
    let last: string | null = null;
    let stopped = false;
    const look = async (): Promise<void> => {
      try {
        const stamp = await invoke<string>('config_stamp');
        if (!stopped && last !== null && stamp !== last) onchange();
        last = stamp;
      } catch (err) {
        console.warn('configuration stamp unavailable', err);
      }
    };
    void look();
    const timer = setInterval(() => void look(), 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }

  async signOut(): Promise<void> {
    if (this.token === null) return;
    const session = this.token;
    this.token = null;
    await invoke('sign_out', { session }).catch((err: unknown) => {
      throw toBackendError(err);
    });
  }

  /** The window has no file system access: the core writes the file into Downloads and says where. */
  async saveRollcall(zone: string, format: RollcallFormat, lang: Lang): Promise<SavedExport> {
    const saved = await this.command<SavedFile>('rollcall_file', { zone, format, lang });
    return { name: saved.name, path: saved.path };
  }

  async saveReport(kind: ReportKind, format: ReportFormat, lang: Lang): Promise<SavedExport> {
    const saved = await this.command<SavedFile>('report_file', { kind, format, lang });
    return { name: saved.name, path: saved.path };
  }

  async importPreview(file: Blob, name: string, mapping: Mapping | null): Promise<ImportPreview> {
    const bytes = Array.from(new Uint8Array(await file.arrayBuffer()));
    return this.command<ImportPreview>('admin_import_preview', { bytes, name, mapping });
  }

  async startImport(file: Blob, name: string, mapping: Mapping | null, skipInvalid: boolean): Promise<ImportProgress> {
    const bytes = Array.from(new Uint8Array(await file.arrayBuffer()));
    return this.command<ImportProgress>('admin_import_start', { bytes, name, mapping, skipInvalid });
  }

  importProgress(id: string): Promise<ImportProgress> {
    return this.command<ImportProgress>('admin_import_progress', { id });
  }

  async exportPerson(serial: string): Promise<SavedExport> {
    const saved = await this.command<SavedFile>('export_person', { serial });
    return { name: saved.name, path: saved.path };
  }

  syncJoin(text: string): Promise<JoinOutcome> {
    return this.command<JoinOutcome>('sync_join', { text });
  }

  async setPhoto(serial: string, picture: Blob): Promise<Attendee> {
    const bytes = Array.from(new Uint8Array(await picture.arrayBuffer()));
    return this.command<Attendee>('set_photo', { serial, bytes });
  }

  async badgePdf(serial: string, req: PdfRequest): Promise<BadgePdf> {
    const saved = await this.command<PdfSaved>('badge_pdf', { serial, req });
    return { name: saved.name, path: saved.path, url: null, version: saved.version, attendee: saved.attendee };
  }

  async badgesPdf(req: BatchPdfRequest): Promise<BadgesPdf> {
    const saved = await this.command<PdfBatchSaved>('badges_pdf', { req });
    return { name: saved.name, path: saved.path, url: null, count: saved.count };
  }

  event(): Promise<EventInfo> {
    return this.command<EventInfo>('get_event');
  }

  station(): Promise<StationConfig> {
    return this.command<StationConfig>('station_config');
  }

  async importWatchlist(file: Blob, name: string): Promise<WatchlistImported> {
    const bytes = Array.from(new Uint8Array(await file.arrayBuffer()));
    return this.command<WatchlistImported>('watchlist_import', { bytes, name });
  }

  firstStart(): Promise<FirstStart> {
    return this.command<FirstStart>('first_start');
  }

  firstStartDemo(): Promise<EventInfo> {
    return this.command<EventInfo>('first_start_demo');
  }

  firstStartCreate(req: NewEvent): Promise<EventInfo> {
    return this.command<EventInfo>('first_start_create', { req });
  }

  firstStartJoin(text: string): Promise<JoinOutcome> {
    return this.command<JoinOutcome>('first_start_join', { text });
  }

  kioskState(): Promise<{ kiosk: boolean }> {
    return this.command<{ kiosk: boolean }>('kiosk_state');
  }

  kioskUnlock(staffId: string, pin: string, action: 'close' | 'leave'): Promise<void> {
    return this.command<void>('kiosk_unlock', { staffId, pin, action });
  }

  onKioskClose(onclose: () => void): () => void {
    let stop: (() => void) | null = null;
    let stopped = false;
    void listen('kiosk-close-requested', () => onclose()).then((unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }

  onKioskChange(onchange: (kiosk: boolean) => void): () => void {
    let stop: (() => void) | null = null;
    let stopped = false;
    void listen<{ kiosk: boolean }>('kiosk-changed', (e) => onchange(e.payload.kiosk)).then((unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }
}
