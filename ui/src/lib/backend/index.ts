import type { Operations, WatchlistImported, WatchlistView } from '../bindings';
import type { EventInfo, SessionInfo, SignInName, StationConfig } from '../bindings';
import type { RollcallFormat } from '../bindings';
import type { Attendee } from '../bindings';
import type { ReportFormat, ReportKind } from '../bindings';
import type { AccreditationView, DecisionRequest, QueueFilter, QueueRow, VettingDecision } from '../bindings';
import type { DocumentReveal } from '../bindings';
import type { Attendee as PdfAttendee, BatchPdfRequest, PdfRequest } from '../bindings';
import type { Lang } from '../i18n/dictionaries';
import { HttpBackend } from './http';
import { TauriBackend } from './tauri';
import type { Erasure, ImportPreview, ImportProgress, Mapping, Purge } from '../bindings';

import type { JoinOutcome } from '../bindings';
import type { FirstStart, NewEvent } from '../bindings';

/** What a backup made (as `gatehouse backup --json` says it). */
export interface BackupSummary {
  file: string;
  bytes: number;
  attendees: number;
  scans: number;
  audit_entries: number;
  key_files: number;
  made_at: string;
}

/** The automatic backups as the console shows them (`backup_schedule::ScheduleState`). */
export interface BackupSchedule {
  /** Switched on (it may still be paused, waiting for the passphrase). */
  enabled: boolean;
  folder: string | null;
  every_min: number | null;
  keep: number | null;
  /** On, but the station was restarted: no backup until the passphrase is entered again. */
  paused: boolean;
  last_at: string | null;
  last_ok_at: string | null;
  last_file: string | null;
  /** Why the last attempt failed, in both languages. */
  last_error: { fr: string; en: string } | null;
  failures: number;
  next_at: string | null;
}

/** What the organiser sets (the passphrase may be left out to keep the one held). */
export interface BackupScheduleSetting {
  folder: string;
  every_min: number;
  keep: number;
  passphrase?: string;
}

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
  /** Erases one attendee's personal data (an anonymised tombstone stays, counted); their badge is revoked. */
  erasePerson(serial: string): Promise<Erasure>;
  /** After the event: erases every attendee; `confirm` must be the event's name. */
  purgePeople(confirm: string): Promise<Purge>;

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

  /** The console's "back up now": into `folder` of this station, keeping this station's last `keep` there. */
  backupNow(folder: string, passphrase: string, keep: number): Promise<BackupSummary>;
  /** The automatic backups: on/off, paused after a restart, the last one and its failure. */
  backupSchedule(): Promise<BackupSchedule>;
  /** Automatic backups on (or changed): every `every_min` minutes into `folder`, keeping `keep`. */
  backupScheduleSet(setting: BackupScheduleSetting): Promise<BackupSchedule>;
  /** The passphrase again after a restart (it is held in memory only). */
  backupScheduleResume(passphrase: string): Promise<BackupSchedule>;
  backupScheduleOff(): Promise<BackupSchedule>;
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
  /** People of vetted categories with their accreditation status, filtered. */
  vettingQueue(filter: QueueFilter): Promise<QueueRow[]>;
  /** Decisions, all or none; each audited, a refusal revokes the badge. */
  vettingDecide(decisions: DecisionRequest[]): Promise<VettingDecision[]>;
  /** One person's vetting as the desk shows it (desks and organisers). */
  accreditation(serial: string): Promise<AccreditationView>;
  /** One queued person's document number, revealed on request (audited; vetting and organisers). */
  vettingDocument(serial: string): Promise<DocumentReveal>;
  /** The watchlist section (organiser stations): the list's size, the attendees with hits, each explained. */
  watchlist(): Promise<WatchlistView>;
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
