import type { Direction, EventInfo, ScanOutcome, SessionInfo, StationConfig } from '../bindings';
import type { Backend } from './index';
import { BackendError, toBackendError } from './error';

/** Browser served by `gatehouse serve`: JSON over HTTP; non-2xx bodies are `{code, message}`. */
export class HttpBackend implements Backend {
  /** The signed-in session's token, sent as `Authorization: Bearer …` with every call. */
  private token: string | null = null;
  onSessionLost: (() => void) | null = null;

  constructor(private readonly base = '') {}

  private async request(method: string, path: string, json?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json' };
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

  async signIn(pin: string): Promise<SessionInfo> {
    const info = await this.send<SessionInfo>('POST', '/api/session', { pin });
    this.token = info.token;
    return info;
  }

  async signOut(): Promise<void> {
    if (this.token === null) return;
    try {
      await this.request('DELETE', '/api/session');
    } finally {
      this.token = null;
    }
  }

  scan(token: string, zone: string, direction: Direction): Promise<ScanOutcome> {
    return this.send<ScanOutcome>('POST', '/api/scan', { token, zone, direction });
  }

  event(): Promise<EventInfo> {
    return this.get<EventInfo>('/api/event');
  }

  station(): Promise<StationConfig> {
    return this.get<StationConfig>('/api/station');
  }
}
