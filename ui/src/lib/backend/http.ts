import type { EventInfo, StationConfig } from '../bindings';
import type { Backend } from './index';
import { BackendError, toBackendError } from './error';

/** Browser served by `gatehouse serve`: JSON over HTTP; non-2xx bodies are `{code, message}`. */
export class HttpBackend implements Backend {
  constructor(private readonly base = '') {}

  private async get<T>(path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.base + path, { headers: { Accept: 'application/json' } });
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
      throw mapped;
    }
    if (body === undefined) throw new BackendError('internal', 'invalid JSON response');
    return body as T;
  }

  event(): Promise<EventInfo> {
    return this.get<EventInfo>('/api/event');
  }

  station(): Promise<StationConfig> {
    return this.get<StationConfig>('/api/station');
  }
}
