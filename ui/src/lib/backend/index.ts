import type {
  Attendee,
  Attendee as PdfAttendee,
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
import type { Lang } from '../i18n/dictionaries';
import { HttpBackend } from './http';
import { TauriBackend } from './tauri';

/** The backups' types, generated from the core (`crate::backup`, `crate::backup_schedule`). */
export type { BackupSchedule, BackupScheduleSetting, BackupSummary } from '../bindings';

export { BackendError, toBackendError } from './error';

/** The one interface the UI talks to; Tauri IPC or HTTP behind it. */
export interface Backend {
  /**
   * Any operation of the table (`src/api/ops.rs`), typed by its `Operations` entry: the permission is
   * checked by the core from the session. Pictures come back as a `Blob`.
   */
  call<N extends keyof Operations>(op: N, args: Operations[N]['input']): Promise<Operations[N]['output']>;
  event(): Promise<EventInfo>;
  station(): Promise<StationConfig>;
  /** Who may sign in at this station (names and roles, no PIN): the sign-in screen's list. */
  signInNames(): Promise<SignInName[]>;
  /** Signs staff member `staffId` in with their PIN; the session's token is then attached to every later call. */
  signIn(staffId: string, pin: string): Promise<SessionInfo>;
  /** Closes the session (if any); later calls go unauthenticated. */
  signOut(): Promise<void>;
  /** The session of `token` again (the page was reloaded); its token is then attached to every call. */
  resume(token: string): Promise<SessionInfo>;
  /**
   * Calls `onchange` whenever the event, the badge template or the staff accounts change (here,
   * on another console, or through sync): server-sent events from `serve`, the window's stamp.
   * Returns the function that stops watching.
   */
  watchConfig(onchange: () => void): () => void;
  /** Called when a call fails with `unauthenticated` while signed in (idle lock on the core side, restart…). */
  onSessionLost: (() => void) | null;

  // The organiser console (admin role).
  /** The roll-call as CSV or PDF: downloaded by the browser, or saved into Downloads by the desktop app. */
  saveRollcall(zone: string, format: RollcallFormat, lang: Lang): Promise<SavedExport>;
  /** One report as CSV, XLSX or PDF: downloaded by the browser, or saved into Downloads by the desktop app. */
  saveReport(kind: ReportKind, format: ReportFormat, lang: Lang): Promise<SavedExport>;
  /** A CSV/XLSX file's columns, the mapping (detected when null) and the dry run with it; nothing is written. */
  importPreview(file: Blob, name: string, mapping: Mapping | null): Promise<ImportPreview>;
  /** Starts importing the file (one transaction, in the background); poll `importProgress` with its id. */
  startImport(file: Blob, name: string, mapping: Mapping | null, skipInvalid: boolean): Promise<ImportProgress>;
  importProgress(id: string): Promise<ImportProgress>;
  /** Everything held on one attendee as a JSON file: downloaded, or saved into Downloads by the desktop app. */
  exportPerson(serial: string): Promise<SavedExport>;

  // LAN sync.
  /**
   * On a standalone station: joins the hub named by `text` (the pairing QR's JSON, or its address
   * and code). The station then restarts on the hub's event (its own data kept in a file).
   */
  syncJoin(text: string): Promise<JoinOutcome>;

  // First start of an empty station (no event, no account, no hub): no session needed.
  /** Whether the station is empty and offers the first-start choice. */
  firstStart(): Promise<FirstStart>;
  /** "Try the demo": the demo event from today, with its demo accounts. */
  firstStartDemo(): Promise<EventInfo>;
  /** "Create an event": the event, its days, and its first organiser account. */
  firstStartCreate(req: NewEvent): Promise<EventInfo>;
  /** "Join a hub": as the console's join; the station then restarts on the hub's event. */
  firstStartJoin(text: string): Promise<JoinOutcome>;

  // Kiosk mode (the desktop window's `--kiosk`; a browser is never a kiosk).
  kioskState(): Promise<{ kiosk: boolean }>;
  /** An organiser's or supervisor's PIN lets the kiosk `close` (the window ends) or `leave` its screen. */
  kioskUnlock(staffId: string, pin: string, action: 'close' | 'leave'): Promise<void>;
  /** Calls `onclose` when the window was asked to close (held back until a PIN allows it). */
  onKioskClose(onclose: () => void): () => void;

  /** Calls `onchange` when the console switched this window's kiosk mode (the window only). */
  onKioskChange(onchange: (kiosk: boolean) => void): () => void;

  // The registration desk (desk and admin roles).
  /** Stores a JPEG or PNG picture as the attendee's photo (the core crops and normalises it). */
  setPhoto(serial: string, picture: Blob): Promise<Attendee>;
  /**
   * The badge as a PDF, for a station without a printer: downloaded by the browser (`url` then
   * opens it for the system's print dialog), or saved into Downloads by the desktop app (`path`).
   * Recorded in the print log like a printed badge.
   */
  badgePdf(serial: string, req: PdfRequest): Promise<BadgePdf>;
  /**
   * Several badges as one PDF (the batch print without a printer), one page per badge, revoked
   * ones left out: downloaded by the browser, or saved into Downloads by the desktop app. Each
   * badge is recorded in the print log like a printed one.
   */
  badgesPdf(req: BatchPdfRequest): Promise<BadgesPdf>;

  // Security vetting (issue 16): organisers and the vetting role.
  /** Replaces the watchlist with a CSV/XLSX file (all or nothing) and screens the registry again. */
  importWatchlist(file: Blob, name: string): Promise<WatchlistImported>;
}

/** A badge made as a PDF: the file handed over, its version and the attendee after it (printed). */
export interface BadgesPdf {
  name: string;
  path: string | null;
  /** In the browser: the PDF, to open for printing. */
  url: string | null;
  /** How many badges it holds. */
  count: number;
}

export interface BadgePdf {
  name: string;
  path: string | null;
  /** In the browser: the PDF, to open for printing. */
  url: string | null;
  version: number;
  attendee: PdfAttendee;
}

/** A file handed to the user: `path` where the desktop app saved it, null when the browser downloaded it. */
export interface SavedExport {
  name: string;
  path: string | null;
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
