import type { ErrorCode } from '../bindings';

const CODES: readonly ErrorCode[] = [
  'bad_input',
  'not_found',
  'conflict',
  'forbidden',
  'unauthenticated',
  'no_event',
  'internal',
];

/** Every backend failure reaches the UI as this; branch on `.code`, never on the text. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (CODES as readonly string[]).includes(value);
}

/** Turns anything thrown or returned as an error (ApiError object, Error, string…) into a BackendError. */
export function toBackendError(err: unknown): BackendError {
  if (err instanceof BackendError) return err;
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const { code, message } = err as { code: unknown; message?: unknown };
    if (isErrorCode(code)) {
      return new BackendError(code, typeof message === 'string' ? message : code);
    }
  }
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
  return new BackendError('internal', message);
}
