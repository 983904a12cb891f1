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
  PdfRequest,
  ReportFormat,
  ReportKind,
  RollcallFormat,
  SessionInfo,
  SignInName,
  StationConfig,
  WatchlistImported,
} from '../bindings';
import { OPERATION_PICTURES } from '../bindings';
import type { Lang } from '../i18n/dictionaries';
import type { BadgePdf, BadgesPdf, Backend, SavedExport } from './index';
import { BackendError, toBackendError } from './error';
import { i18n } from '../i18n/lang.svelte';

/** Browser served by `gatehouse serve`: JSON over HTTP; non-2xx bodies are `{code, message}`. */
export class HttpBackend implements Backend {
  /** The signed-in session's token, sent as `Authorization: Bearer …` with every call. */
  private token: string | null = null;
  onSessionLost: (() => void) | null = null;

  constructor(private readonly base = '') {}

  private async request(method: string, path: string, json?: unknown): Promise<unknown> {
    // The core's messages come back in the screen's language.
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': i18n.lang };
    if (this.token !== null) headers.Authorization = `Bearer ${this.token}`;
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    } catch (err) {
      throw toBackendError(err);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const mapped = toBackendError(body);
      if (mapped.code === 'internal' && body === undefined) {
        throw new BackendError('internal', `HTTP ${response.status}`);
      }
      if (mapped.code === 'unauthenticated' && this.token !== null) {
        this.token = null;
        this.onSessionLost?.();
      }
      throw mapped;
    }
    return body;
  }

  private async get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  private async send<T>(method: string, path: string, json?: unknown): Promise<T> {
    const body = await this.request(method, path, json);
    if (body === undefined) throw new BackendError('internal', 'invalid JSON response');
    return body as T;
  }

  /** Every operation of the table: `POST /api/op/{name}` with its arguments as JSON. */
  async call<N extends keyof Operations>(op: N, args: Operations[N]['input']): Promise<Operations[N]['output']> {
    const body = new Blob([JSON.stringify(args)], { type: 'application/json' });
    const response = await this.binary('POST', `/api/op/${op}`, body);
    if (OPERATION_PICTURES[op] !== undefined) return (await response.blob()) as Operations[N]['output'];
    try {
      return (await response.json()) as Operations[N]['output'];
    } catch {
      throw new BackendError('internal', 'invalid JSON response');
    }
  }

  signInNames(): Promise<SignInName[]> {
    return this.send<SignInName[]>('GET', '/api/session/staff');
  }

  async signIn(staffId: string, pin: string): Promise<SessionInfo> {
    const info = await this.send<SessionInfo>('POST', '/api/session', { staff_id: staffId, pin });
    this.token = info.token;
    return info;
  }

  async resume(token: string): Promise<SessionInfo> {
    this.token = token;
    try {
      return await this.get<SessionInfo>('/api/session');
    } catch (err) {
      this.token = null;
      throw err;
    }
  }

  watchConfig(onchange: () => void): () => void {
    if (typeof EventSource === 'undefined') return () => undefined;
    const source = new EventSource(`${this.base}/api/live`);
    let last: string | null = null;
    // The first stamp (and the first after a reconnection) is the state already shown, unless it moved.
    source.addEventListener('config', (e) => {
      const stamp = (e as MessageEvent<string>).data;
      if (last !== null && stamp !== last) onchange();
      last = stamp;
    });
    return () => source.close();
  }

  async signOut(): Promise<void> {
    if (this.token === null) return;
    try {
      await this.request('DELETE', '/api/session');
    } finally {
      this.token = null;
    }
  }

  /** A file from the API (sent with the session), handed to the browser as a download. */
  private async download(path: string, fallbackName: string): Promise<SavedExport> {
    const headers: Record<string, string> = { 'Accept-Language': i18n.lang };
    if (this.token !== null) headers.Authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(this.base + path, { headers });
    } catch (err) {
      throw toBackendError(err);
    }
    if (!response.ok) {
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new BackendError('internal', `HTTP ${response.status}`);
      }
      const mapped = toBackendError(body);
      if (mapped.code === 'unauthenticated' && this.token !== null) {
        this.token = null;
        this.onSessionLost?.();
      }
      throw mapped;
    }
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
    const url = URL.createObjectURL(await response.blob());
    try {
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.style.display = 'none';
      document.body.append(a);
      a.click();
      a.remove();
    } finally {
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    }
    return { name, path: null };
  }

  private static query(params: Record<string, string | number | null | undefined>): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
    }
    const text = q.toString();
    return text === '' ? '' : `?${text}`;
  }

  saveRollcall(zone: string, format: RollcallFormat, lang: Lang): Promise<SavedExport> {
    return this.download(`/api/rollcall/file${HttpBackend.query({ zone, format, lang })}`, `rollcall-${zone}.${format}`);
  }

  saveReport(kind: ReportKind, format: ReportFormat, lang: Lang): Promise<SavedExport> {
    return this.download(`/api/reports/file${HttpBackend.query({ kind, format, lang })}`, `report-${kind}.${format}`);
  }

  /** The file goes as the raw request body; its name and the mapping in the query. */
  private static importQuery(name: string, mapping: Mapping | null, skipInvalid = false): string {
    return HttpBackend.query({
      name,
      mapping: mapping === null ? null : JSON.stringify(mapping),
      skip_invalid: skipInvalid ? 'true' : null,
    });
  }

  async importPreview(file: Blob, name: string, mapping: Mapping | null): Promise<ImportPreview> {
    const response = await this.binary('POST', `/api/import/preview${HttpBackend.importQuery(name, mapping)}`, file);
    return (await response.json()) as ImportPreview;
  }

  async startImport(file: Blob, name: string, mapping: Mapping | null, skipInvalid: boolean): Promise<ImportProgress> {
    const path = `/api/import${HttpBackend.importQuery(name, mapping, skipInvalid)}`;
    return (await (await this.binary('POST', path, file)).json()) as ImportProgress;
  }

  importProgress(id: string): Promise<ImportProgress> {
    return this.get<ImportProgress>(`/api/import/${encodeURIComponent(id)}`);
  }

  exportPerson(serial: string): Promise<SavedExport> {
    return this.download(`/api/privacy/${encodeURIComponent(serial)}/export`, `person-${serial}.json`);
  }

  syncJoin(text: string): Promise<JoinOutcome> {
    return this.send<JoinOutcome>('POST', '/api/sync/join', { text });
  }

  /** A binary request or response (photos, badge previews), with the session and `{code, message}` errors. */
  private async binary(method: string, path: string, body?: Blob): Promise<Response> {
    const headers: Record<string, string> = { 'Accept-Language': i18n.lang };
    if (this.token !== null) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = body.type || 'application/octet-stream';
    let response: Response;
    try {
      response = await fetch(this.base + path, { method, headers, body });
    } catch (err) {
      throw toBackendError(err);
    }
    if (!response.ok) {
      let parsed: unknown;
      try {
        parsed = await response.json();
      } catch {
        throw new BackendError('internal', `HTTP ${response.status}`);
      }
      const mapped = toBackendError(parsed);
      if (mapped.code === 'unauthenticated' && this.token !== null) {
        this.token = null;
        this.onSessionLost?.();
      }
      throw mapped;
    }
    return response;
  }

  async setPhoto(serial: string, picture: Blob): Promise<Attendee> {
    const response = await this.binary('PUT', `/api/attendees/${encodeURIComponent(serial)}/photo`, picture);
    return (await response.json()) as Attendee;
  }

  async badgePdf(serial: string, req: PdfRequest): Promise<BadgePdf> {
    const path = `/api/attendees/${encodeURIComponent(serial)}/badge.pdf`;
    const body = new Blob([JSON.stringify(req)], { type: 'application/json' });
    const response = await this.binary('POST', path, body);
    const version = Number(response.headers.get('x-gatehouse-version') ?? '0');
    const name = `${serial}-v${version}.pdf`;
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    // Kept a while for "open to print"; then freed.
    setTimeout(() => URL.revokeObjectURL(url), 10 * 60_000);
    const attendee = await this.call('get_attendee', { serial });
    return { name, path: null, url, version, attendee };
  }

  async badgesPdf(req: BatchPdfRequest): Promise<BadgesPdf> {
    const body = new Blob([JSON.stringify(req)], { type: 'application/json' });
    const response = await this.binary('POST', '/api/badges.pdf', body);
    const count = Number(response.headers.get('x-gatehouse-count') ?? '0');
    const disposition = response.headers.get('content-disposition') ?? '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'badges.pdf';
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    // Kept a while for "open to print"; then freed.
    setTimeout(() => URL.revokeObjectURL(url), 10 * 60_000);
    return { name, path: null, url, count };
  }

  event(): Promise<EventInfo> {
    return this.get<EventInfo>('/api/event');
  }

  station(): Promise<StationConfig> {
    return this.get<StationConfig>('/api/station');
  }

  async importWatchlist(file: Blob, name: string): Promise<WatchlistImported> {
    const response = await this.binary('POST', `/api/watchlist/import${HttpBackend.query({ name })}`, file);
    return (await response.json()) as WatchlistImported;
  }

  firstStart(): Promise<FirstStart> {
    return this.get<FirstStart>('/api/first-start');
  }

  firstStartDemo(): Promise<EventInfo> {
    return this.send<EventInfo>('POST', '/api/first-start/demo');
  }

  firstStartCreate(req: NewEvent): Promise<EventInfo> {
    return this.send<EventInfo>('POST', '/api/first-start/create', req);
  }

  firstStartJoin(text: string): Promise<JoinOutcome> {
    return this.send<JoinOutcome>('POST', '/api/first-start/join', { text });
  }

  kioskState(): Promise<{ kiosk: boolean }> {
    return Promise.resolve({ kiosk: false });
  }

  kioskUnlock(): Promise<void> {
    return Promise.resolve();
  }

  onKioskClose(): () => void {
    return () => {};
  }

  onKioskChange(): () => void {
    return () => {};
  }
}
