import type { ConfigChange, ErrorCode, FieldError, Texts, Unsent } from '../bindings';
import { i18n } from '../i18n/lang.svelte';

const CODES: readonly ErrorCode[] = [
  'bad_input',
  'not_found',
  'conflict',
  'forbidden',
  'unauthenticated',
  'no_event',
  'too_many_attempts',
  'disk_full',
  'database_damaged',
  'time_unknown',
  'internal',
];

/**
 * Every backend failure reaches the UI as this; branch on `.code` (or `.key`), never on the
 * text. `.message` is in the screen's language when the core said it in both (`text`).
 */
export class BackendError extends Error {
  readonly code: ErrorCode;
  /** The core catalogue's key for this message (`last_admin`), when it has one. */
  readonly key?: string;
  /** The message in French and in English, when the core gave both. */
  readonly text?: Texts;
  /** For a refused attendee (`bad_input`): each refused field and its problem. */
  readonly fields?: FieldError[];
  /** For `too_many_attempts`: seconds before the next PIN is heard. */
  readonly retryAfterS?: number;
  /** For a configuration save refused as changed elsewhere (`conflict`): what changed there. */
  readonly changes?: ConfigChange[];
  /** For a full disk or a damaged database at a paired station: what has not reached the hub. */
  unsent?: Unsent;

  constructor(
    code: ErrorCode,
    message: string,
    fields?: FieldError[],
    retryAfterS?: number,
    changes?: ConfigChange[],
    key?: string,
    text?: Texts,
  ) {
    super(text ? text[i18n.lang] : message);
    this.name = 'BackendError';
    this.code = code;
    if (key) this.key = key;
    if (text) this.text = text;
    if (fields) this.fields = fields;
    if (retryAfterS !== undefined) this.retryAfterS = retryAfterS;
    if (changes) this.changes = changes;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (CODES as readonly string[]).includes(value);
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const { field, problem, message } = value as Record<string, unknown>;
  return (
    typeof field === 'string' &&
    typeof message === 'string' &&
    typeof problem === 'object' &&
    problem !== null &&
    typeof (problem as { kind?: unknown }).kind === 'string'
  );
}

function isTexts(value: unknown): value is Texts {
  if (typeof value !== 'object' || value === null) return false;
  const { fr, en } = value as Record<string, unknown>;
  return typeof fr === 'string' && typeof en === 'string';
}

function isConfigChange(value: unknown): value is ConfigChange {
  if (typeof value !== 'object' || value === null) return false;
  const { section, key, kind } = value as Record<string, unknown>;
  return typeof section === 'string' && typeof key === 'string' && typeof kind === 'string';
}

function isUnsent(value: unknown): value is Unsent {
  if (typeof value !== 'object' || value === null) return false;
  const { scans, other } = value as Record<string, unknown>;
  return typeof scans === 'number' && typeof other === 'number';
}

/** Turns anything thrown or returned as an error (ApiError object, Error, string…) into a BackendError. */
export function toBackendError(err: unknown): BackendError {
  if (err instanceof BackendError) return err;
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const { code, message, fields, retry_after_s, changes, key, text, unsent } = err as {
      code: unknown;
      message?: unknown;
      fields?: unknown;
      retry_after_s?: unknown;
      changes?: unknown;
      key?: unknown;
      text?: unknown;
      unsent?: unknown;
    };
    if (isErrorCode(code)) {
      const e = new BackendError(
        code,
        typeof message === 'string' ? message : code,
        Array.isArray(fields) ? fields.filter(isFieldError) : undefined,
        typeof retry_after_s === 'number' ? retry_after_s : undefined,
        Array.isArray(changes) ? changes.filter(isConfigChange) : undefined,
        typeof key === 'string' ? key : undefined,
        isTexts(text) ? text : undefined,
      );
      if (isUnsent(unsent)) e.unsent = unsent;
      return e;
    }
  }
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
  return new BackendError('internal', message);
}
