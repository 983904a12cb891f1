// Generated from the Rust types by `cargo test` (ts-rs). Do not edit by hand.
export type ApiError = { code: ErrorCode, 
/**
 * In the requester's language: `serve` follows `Accept-Language`, the
 * CLI its `--lang`; French otherwise (the product's language).
 */
message: string, 
/**
 * The message's own key in the core's catalogue (`last_admin`), for a
 * program that tells refusals apart more finely than `code`.
 */
key?: string, 
/**
 * The message in both languages, so a screen says it in its own
 * language (and again after a language switch).
 */
text?: Texts, 
/**
 * For a refused attendee (`bad_input`): each refused field and its
 * problem, so a form can say it in place, in its own language.
 */
fields?: Array<FieldError>, 
/**
 * For `too_many_attempts`: seconds before the next try is heard.
 */
retry_after_s?: number, 
/**
 * For a configuration save refused because it was changed elsewhere
 * since the screen loaded it (`conflict`): what changed there.
 */
changes?: Array<ConfigChange>, 
/**
 * For `time_unknown`: the last time the station knew for sure (RFC 3339).
 */
last_safe_at?: string, 
/**
 * For `disk_full` and `database_damaged` at a paired station: what it
 * recorded that has not reached the hub.
 */
unsent?: Unsent, };
export type Texts = { fr: string, en: string, };
export type ErrorCode = "bad_input" | "not_found" | "conflict" | "forbidden" | "unauthenticated" | "no_event" | "too_many_attempts" | "disk_full" | "database_damaged" | "time_unknown" | "internal";
export type Unsent = { 
/**
 * Scans recorded here that have not reached the hub.
 */
scans: number, 
/**
 * Other entries (badge issues, audit entries, edits…) not sent.
 */
other: number, 
/**
 * Part of the database could not be read: there may be more.
 */
partial: boolean, };
export type Role = "admin" | "desk" | "gate" | "supervisor" | "vetting";
export type StationConfig = { role: Role | null, zone: ZoneCode | null, 
/**
 * The role this station was paired with its hub as, if it was: its
 * screens follow it (a gate offers only the gate, a desk only the
 * desk, an admin station the console). None when standalone or the hub.
 */
paired_role: Role | null, 
/**
 * The name the hub gave this station at pairing ("Porte Hall"), if
 * paired with one.
 */
name: string | null, 
/**
 * `gatehouse serve` over HTTPS (bound beyond loopback): the SHA-256
 * fingerprint of its certificate, as `AB:CD:…`, for people to compare
 * with what their browser shows. `None` over plain HTTP.
 */
tls_fingerprint: string | null, 
/**
 * Active staff accounts that still sign in with a published demo PIN
 * (1111, 2222, 3333): every screen says so while there are any.
 */
demo_pins: number, };
export type ZoneCode = string;
export type CategoryCode = string;
export type Color = string;
export type Antipassback = "off" | "warn" | "deny";
export type EventInfo = { code: string, name: string, venue: string, city: string, 
/**
 * ISO 3166-1 alpha-2.
 */
country: string, 
/**
 * IANA time zone the days are counted in.
 */
time_zone: string, 
/**
 * Badge numbers are this prefix, a dash and six digits (`BMX-000001`).
 */
serial_prefix: string, days: Array<EventDay>, 
/**
 * The open zones, in display order (the order means nothing to badges).
 */
zones: Array<Zone>, categories: Array<Category>, 
/**
 * Zones removed from the event, kept for their bits (see [`RetiredZone`]).
 */
retired_zones: Array<RetiredZone>, 
/**
 * What happens to the badges of people not cleared yet in categories
 * that require vetting (`crate::vetting`).
 */
vetting?: HoldPolicy, };
export type EventDay = { date: string, 
/**
 * A demo day opens the secured demo zone.
 */
demo: boolean, };
export type Zone = { code: ZoneCode, 
/**
 * The zone's bit in a badge token's zone mask, for good: given when the
 * zone is created (the lowest bit this event never used) and never
 * changed or reused, whatever the zones' order. `None` only for a zone
 * the console is adding: saving gives it its bit. An event's JSON
 * written before bits were stored has none; see [`EventInfo::keep_identities`].
 */
bit: number | null, name_fr: string, name_en: string, capacity: number | null, antipassback: Antipassback, 
/**
 * The days the zone is open at all, whatever a badge says.
 */
open_days: Array<string>, 
/**
 * The site the zone belongs to, for an event across several sites
 * (`docs/SCALE.md`, "Sites"): the name its site hub was paired with at
 * the central hub. Absent: an event-wide zone (a single-site event's
 * zones all are). Anti-passback stays per zone, across sites.
 */
site?: string, };
export type RetiredZone = { code: ZoneCode, bit: number, name_fr: string, name_en: string, };
export type Category = { code: CategoryCode, name_fr: string, name_en: string, color: Color, 
/**
 * The zones and days this category opens by default (the access matrix).
 */
zones: Array<ZoneCode>, days: Array<string>, 
/**
 * Its holders must be cleared by the security services before their
 * badge is valid (issue 16; enforced as the event's `vetting` says).
 */
vetting?: boolean, };
export type DemoSummary = { event: string, first_day: string, last_day: string, zones: number, categories: number, staff: Array<DemoAccount>, };
export type DemoAccount = { name: string, role: Role, pin: string, };
export type AuditCheck = { entries: number, 
/**
 * The sequence number of the first entry that does not verify.
 */
first_bad: number | null, };
export type BadgeSerial = string;
export type Verdict = { decision: Decision, reason: Reason, serial: BadgeSerial | null, version: number | null, name: string | null, category: CategoryCode | null, 
/**
 * The category's colour, `#RRGGBB`.
 */
color: string | null, 
/**
 * First 8 bytes of SHA-256 of the holder's photo, hex: the gate shows
 * the stored photo only if it matches.
 */
photo: string | null, zone: ZoneCode, direction: Direction, 
/**
 * The badge's first and last valid days (the event's calendar), once
 * its token is read: "not yet valid — from 7 Dec", "expired on 9 Dec".
 */
valid_from?: string, valid_until?: string, 
/**
 * For `revoked`: the reason given when the badge was revoked, when
 * this station knows it (filled by the station, not by [`decide`]).
 */
revoked_reason?: string, };
export type Decision = "admit" | "warn" | "deny";
export type Reason = "ok" | "reentry" | "malformed" | "forged" | "unknown_key" | "other_event" | "not_yet_valid" | "expired" | "not_valid_today" | "zone_not_allowed" | "zone_closed" | "revoked" | "superseded" | "already_inside" | "zone_full" | "not_cleared";
export type Direction = "in" | "out";
export type ScanOutcome = { 
/**
 * The scan record's id.
 */
id: string, station: string, seq: number, at: string, decision: Decision, reason: Reason, serial: BadgeSerial | null, version: number | null, name: string | null, category: CategoryCode | null, 
/**
 * The category's colour, `#RRGGBB`.
 */
color: string | null, 
/**
 * First 8 bytes of SHA-256 of the holder's photo, hex: the gate shows
 * the stored photo only if it matches.
 */
photo: string | null, zone: ZoneCode, direction: Direction, 
/**
 * The badge's first and last valid days (the event's calendar), once
 * its token is read: "not yet valid — from 7 Dec", "expired on 9 Dec".
 */
valid_from?: string, valid_until?: string, 
/**
 * For `revoked`: the reason given when the badge was revoked, when
 * this station knows it (filled by the station, not by [`decide`]).
 */
revoked_reason?: string, };
export type Scan = { id: string, station: string, seq: number, serial: string | null, version: number | null, zone: string, direction: string, decision: string, reason: string, at: string, operator: string, };
export type KeyInfo = { 
/**
 * 16 hex digits.
 */
kid: string, 
/**
 * The raw 32-byte Ed25519 public key, 64 hex digits.
 */
public_key: string, 
/**
 * The same key as SPKI PEM.
 */
pem: string, created_at: string, 
/**
 * Set once retired: its tokens are refused (`unknown_key`).
 */
retired_at: string | null, 
/**
 * This station holds the private half.
 */
can_sign: boolean, };
export type IssuedToken = { serial: BadgeSerial, version: number, token: string, 
/**
 * The signing key's id, 16 hex digits.
 */
kid: string, };
export type Revocation = { serial: BadgeSerial, reason: string, by: string, at: string, };
export type SessionInfo = { 
/**
 * Sent back with every request (`Authorization: Bearer …`, or the
 * `session` argument of a Tauri command).
 */
token: string, name: string, role: Role, 
/**
 * The station locks after this many seconds without activity.
 */
idle_timeout_s: number, };
export type SignInName = { id: string, name: string, role: Role, };
export type GateStatus = { zone: ZoneCode, 
/**
 * This station's id (UUID).
 */
station: string, 
/**
 * The name the hub gave this station at pairing ("Porte Hall"), if any:
 * what its header shows instead of the id.
 */
station_name: string | null, 
/**
 * Scans in this zone admitted (or warned) since the start of the
 * event-local day, all stations this station knows of.
 */
admitted: number, denied: number, 
/**
 * Badges inside the zone now.
 */
inside: number, 
/**
 * Revoked badges this station knows of.
 */
revocations: number, 
/**
 * When the newest of those revocations was recorded (RFC 3339), if any.
 */
last_revocation_at: string | null, 
/**
 * When these figures were read (RFC 3339).
 */
as_of: string, 
/**
 * Whether this station syncs with a hub. If not, its own database is
 * the whole truth and its revocation data is as fresh as it gets.
 */
paired: boolean, 
/**
 * When a paired station last completed a sync with its hub (RFC 3339):
 * revocations made elsewhere after that are not known here.
 */
last_sync: string | null, 
/**
 * Set when this station cannot know the time (its clock went back, or
 * too far on, since it last read the hub's): the last time it knew
 * for sure (RFC 3339). The gate decides nothing until it is resolved.
 */
time_unknown: string | null, };
export type HolderPhoto = { serial: BadgeSerial, 
/**
 * First 8 bytes of the stored photo's SHA-256, hex: what a token's
 * `photo` claim holds.
 */
hash: string, 
/**
 * `data:image/jpeg;base64,…`: shown as an image, works in both shells.
 */
data_url: string, };
export type OverrideRequest = { 
/**
 * The denied scan's id.
 */
scan_id: string, 
/**
 * The supervisor's account id, as the station's list names it (an
 * account that may override: a supervisor, or an admin where admins
 * sign in).
 */
supervisor: string, 
/**
 * That supervisor's own PIN.
 */
pin: string, reason: string, };
export type OverrideOutcome = { 
/**
 * The supervisor's name.
 */
supervisor: string, 
/**
 * The scan record's id.
 */
id: string, station: string, seq: number, at: string, decision: Decision, reason: Reason, serial: BadgeSerial | null, version: number | null, name: string | null, category: CategoryCode | null, 
/**
 * The category's colour, `#RRGGBB`.
 */
color: string | null, 
/**
 * First 8 bytes of SHA-256 of the holder's photo, hex: the gate shows
 * the stored photo only if it matches.
 */
photo: string | null, zone: ZoneCode, direction: Direction, 
/**
 * The badge's first and last valid days (the event's calendar), once
 * its token is read: "not yet valid — from 7 Dec", "expired on 9 Dec".
 */
valid_from?: string, valid_until?: string, 
/**
 * For `revoked`: the reason given when the badge was revoked, when
 * this station knows it (filled by the station, not by [`decide`]).
 */
revoked_reason?: string, };
export type Rollcall = { zone: ZoneCode, zone_name_fr: string, zone_name_en: string, capacity: number | null, 
/**
 * When the list was drawn up (RFC 3339, UTC).
 */
at: string, 
/**
 * Sorted by family name, then given names.
 */
entries: Array<RollcallEntry>, };
export type RollcallEntry = { serial: BadgeSerial, 
/**
 * "Given Family", as the badge shows it ("" if the attendee was erased).
 */
name: string, given_names: string, family_name: string, organisation: string, 
/**
 * ISO 3166-1 alpha-2.
 */
country: string | null, category: string, delegation: string | null, 
/**
 * The entry that put them inside (RFC 3339, UTC).
 */
entered_at: string, };
export type RollcallFormat = "csv" | "pdf";
export type Dashboard = { 
/**
 * When it was computed (RFC 3339, UTC).
 */
at: string, 
/**
 * The venue day the hourly figures and refusals cover (YYYY-MM-DD).
 */
day: string, 
/**
 * The venue day that contains `at` (YYYY-MM-DD): `day` unless another was asked for.
 */
today: string, zones: Array<ZoneOccupancy>, 
/**
 * Only the hours, zones and categories with entries, ordered by hour.
 */
hourly: Array<HourlyEntries>, 
/**
 * Most frequent first.
 */
denials: Array<DenialCount>, 
/**
 * Admitted (or warned) entries that day, all zones.
 */
entries_today: number, 
/**
 * Refused scans that day, all zones and directions.
 */
denied_today: number, };
export type ZoneOccupancy = { zone: string, name_fr: string, name_en: string, 
/**
 * Badges inside now (by the scan log, whatever the day).
 */
inside: number, capacity: number | null, };
export type HourlyEntries = { 
/**
 * 0–23, venue time.
 */
hour: number, zone: string, 
/**
 * The badge holder's category ("" if unknown).
 */
category: string, entries: number, };
export type DenialCount = { 
/**
 * A gate reason code (`revoked`, `zone_not_allowed`…).
 */
reason: string, count: number, };
export type AuditEntry = { seq: number, 
/**
 * RFC 3339, UTC.
 */
at: string, actor: string, action: string, 
/**
 * The entry's detail as stored (JSON text).
 */
detail: string, };
export type AuditFilter = { 
/**
 * Part of the actor's name or id, any case.
 */
actor: string | null, 
/**
 * An action (`badge.revoke`) or its start (`badge.`).
 */
action: string | null, 
/**
 * From this instant (RFC 3339), inclusive.
 */
from: string | null, 
/**
 * Until this instant (RFC 3339), exclusive.
 */
to: string | null, 
/**
 * At most this many entries (default 200, at most 5000).
 */
limit: number | null, };
export type AuditPage = { entries: Array<AuditEntry>, total: number, 
/**
 * Every action the log holds, for the filter's choices.
 */
actions: Array<string>, };
export type AuditVerification = { 
/**
 * Entries that verified before the first bad one (all of them if none).
 */
entries: number, first_bad: number | null, 
/**
 * That entry as it now reads (absent if it was deleted).
 */
entry: AuditEntry | null, };
export type RevocationRow = { serial: string, 
/**
 * "Given Family" ("" if the attendee was erased).
 */
name: string, organisation: string, category: string, reason: string, 
/**
 * RFC 3339, UTC.
 */
at: string, by: string, };
export type SavedFile = { name: string, 
/**
 * The full path, to tell the user where to find it.
 */
path: string, };
export type Reports = { 
/**
 * When they were computed (RFC 3339, UTC).
 */
at: string, attendance: AttendanceReport, prints: PrintReport, };
export type AttendanceReport = { 
/**
 * Venue days (YYYY-MM-DD): the event's, and any other day with entries.
 */
days: Array<string>, total: AttendanceRow, 
/**
 * In the event's category order.
 */
by_category: Array<AttendanceRow>, 
/**
 * By name; "no country" last.
 */
by_country: Array<AttendanceRow>, 
/**
 * By name; "no delegation" last.
 */
by_delegation: Array<AttendanceRow>, };
export type AttendanceRow = { 
/**
 * The category code, country code or delegation name ("" for none).
 */
key: string, label_fr: string, label_en: string, 
/**
 * Attendees in the registry in this group.
 */
registered: number, 
/**
 * Unique people admitted on each day of [`AttendanceReport::days`].
 */
per_day: Array<number>, 
/**
 * Unique people admitted on at least one day.
 */
any_day: number, };
export type PrintReport = { total: PrintRow, 
/**
 * By printer name.
 */
by_printer: Array<PrintRow>, 
/**
 * By venue day.
 */
by_day: Array<PrintRow>, };
export type PrintRow = { 
/**
 * The printer's name or the day (YYYY-MM-DD); "" for the total.
 */
key: string, 
/**
 * Print jobs that reached the printer (sent or completed), one per badge.
 */
prints: number, 
/**
 * Different badges among them.
 */
badges: number, 
/**
 * Prints of a badge that had already been printed before (wherever).
 */
reprints: number, 
/**
 * Jobs that failed or were cancelled.
 */
failed: number, };
export type ReportKind = "attendance" | "prints";
export type ReportFormat = "csv" | "xlsx" | "pdf";
export type StaffMember = { id: string, name: string, role: Role, active: boolean, created_at: string, 
/**
 * Still signs in with one of the demo PINs (1111, 2222, 3333, 4444),
 * which are printed in the documentation: the console warns until
 * changed, and `hub` and `pair` refuse to go live.
 */
demo_pin: boolean, 
/**
 * An active account whose PIN is shorter than its role's policy
 * (admins and supervisors 8 digits, others 6), or was set before the
 * policy: `hub` and `pair` refuse to go live until it is changed.
 */
pin_below_policy: boolean, };
export type StaffChange = { name: string | null, role: Role | null, active: boolean | null, 
/**
 * A new PIN: 8 to 12 digits for admins and supervisors, 6 to 12 for
 * the others.
 */
pin: string | null, 
/**
 * For a change to an account: the account as the screen loaded it.
 * When it is no longer so (changed elsewhere meanwhile), the change is
 * refused ([`Error::Stale`]) rather than undoing the other one.
 */
based_on?: StaffState, };
export type StaffState = { name: string, role: Role, active: boolean, };
export type EventSave = { based_on: EventInfo, event: EventInfo, 
/**
 * Reissue the printed badges whose access the change alters (a new
 * version each, the attendee back to `preregistered`); without it
 * their paper keeps its old access ([`access_impact`] counts them).
 */
reissue?: boolean, };
export type BackupSummary = { file: string, bytes: number, attendees: number, scans: number, audit_entries: number, 
/**
 * Files of the key folder carried (encrypted with the rest).
 */
key_files: number, made_at: string, };
export type BackupSchedule = { 
/**
 * Switched on (it may still be paused, waiting for the passphrase).
 */
enabled: boolean, folder: string | null, every_min: number | null, keep: number | null, 
/**
 * On, but this process holds no passphrase (it was restarted): no
 * backup is made until someone enters it.
 */
paused: boolean, 
/**
 * The last attempt, and the last backup made (RFC 3339).
 */
last_at: string | null, last_ok_at: string | null, last_file: string | null, 
/**
 * Why the last attempt failed, in both languages; none when it worked.
 */
last_error: BackupSaid | null, 
/**
 * Attempts failed in a row.
 */
failures: number, 
/**
 * When the next attempt is due (when on and not paused).
 */
next_at: string | null, };
export type BackupSaid = { fr: string, en: string, };
export type BackupScheduleSetting = { folder: string, every_min: number, keep: number, 
/**
 * Needed when this process holds none yet; may be left empty to keep
 * the one held.
 */
passphrase?: string, };
export type AccessImpact = { 
/**
 * Printed badges (status `printed`, not revoked) whose current
 * version grants other access than the changed event would.
 */
printed: number, 
/**
 * Up to 20 of them, by badge number.
 */
serials: Array<BadgeSerial>, };
export type PdfRequest = { format: Format, 
/**
 * Issue a new version first: the badge printed before is superseded.
 */
reprint: boolean, };
export type DocumentRead = { mrz: Mrz, matched_by: MatchedBy | null, matches: Array<SearchHit>, };
export type MatchedBy = "document_number" | "name";
export type Mrz = { format: MrzFormat, 
/**
 * The document code without fillers: `P`, `I`, `ID`, `AC`, `V`…
 */
document_code: string, document_kind: DocumentKind, 
/**
 * Three letters (`D` for Germany), fillers removed.
 */
issuing_state: string, 
/**
 * The issuing state as the product's ISO 3166-1 alpha-2 code, when it is a country.
 */
issuing_country: string | null, 
/**
 * Fillers removed; a TD1 or TD2 number longer than 9 characters whole.
 */
document_number: string, 
/**
 * In capitals, as printed in the MRZ (`<` between words read as spaces).
 */
family_name: string, given_names: string, nationality: string, nationality_country: string | null, 
/**
 * `None` when unreadable or partly unknown (`<<` for an unknown day).
 */
birth_date: string | null, sex: Sex, expiry_date: string | null, 
/**
 * The optional data without fillers (a TD1's two parts joined by a space).
 */
optional_data: string, 
/**
 * Every check digit matches.
 */
checks_ok: boolean, problems: Array<MrzProblem>, };
export type MrzFormat = "td1" | "td2" | "td3";
export type DocumentKind = "passport" | "id_card" | "visa" | "other";
export type Sex = "female" | "male" | "unspecified";
export type MrzField = "document_type" | "issuing_state" | "names" | "document_number" | "nationality" | "birth_date" | "sex" | "expiry_date" | "optional_data" | "composite";
export type MrzWhy = { "kind": "check_digit" } | { "kind": "expired", on: string, } | { "kind": "unreadable", value: string, };
export type MrzProblem = { field: MrzField, } & ({ "kind": "check_digit" } | { "kind": "expired", on: string, } | { "kind": "unreadable", value: string, });
export type PdfSaved = { name: string, 
/**
 * Where it went, to tell the officer.
 */
path: string, version: number, attendee: Attendee, };
export type ConfigChange = { section: ConfigSection, key: string, kind: ChangeKind, field: string | null, before: string | null, after: string | null, };
export type ConfigSection = "event" | "day" | "zone" | "category" | "staff";
export type ChangeKind = "added" | "removed" | "retired" | "changed" | "reordered";
export type CategoryChoice = { code: string, name_fr: string, name_en: string, };
export type Conflict = { 
/**
 * Always `double_admission` for now.
 */
kind: string, serial: string, zone: string, 
/**
 * The scan ids involved: the earlier admission, then the later one.
 */
scans: Array<string>, 
/**
 * The stations that recorded them, in the same order.
 */
stations: Array<string>, 
/**
 * When the later admission happened.
 */
at: string, };
export type SyncMode = "standalone" | "station" | "hub";
export type SyncStatus = { mode: SyncMode, 
/**
 * The hub's address: the one paired with, or this hub's own.
 */
hub_url: string | null, 
/**
 * The role the hub granted this station (`desk`, `gate`, `admin`).
 */
role: string | null, 
/**
 * A paired station: the name the hub gave it at pairing ("Porte Hall").
 */
name: string | null, 
/**
 * A station: its last completed round. A hub: its last contact with
 * any station. RFC 3339.
 */
last_sync: string | null, 
/**
 * Why the last attempt failed, if it did (a station only).
 */
last_error: string | null, 
/**
 * Synced within [`ONLINE_WITHIN_S`] and the last attempt succeeded.
 */
online: boolean, 
/**
 * A hub: how many stations are paired.
 */
stations: number, 
/**
 * A paired station: how far its own clock is from the hub's, in ms
 * (positive: it is behind). `None` until it read the hub's clock.
 */
clock_offset_ms: number | null, 
/**
 * Off by more than two minutes: the station decides on the hub's time
 * and its screens ask for the clock to be set.
 */
clock_skewed: boolean, 
/**
 * A paired station: the hub's time now as it agrees it (RFC 3339),
 * what to set its clock to.
 */
hub_time: string | null, 
/**
 * A paired station: seconds since its last completed sync (the
 * revocations it holds are that old); `None` if it never synced.
 */
sync_age_s: number | null, 
/**
 * A paired station: after this many seconds without a sync its
 * screens say how old its revocations are (`sync --warn-after`).
 */
warn_after_s: number | null, 
/**
 * Paired, and no completed sync for `warn_after_s` (or never).
 */
stale: boolean, 
/**
 * Set when this station cannot know the time (see `sync::time`): the
 * last time it knew for sure (RFC 3339). Its gates decide nothing
 * until its clock is set and it syncs.
 */
time_unknown: string | null, 
/**
 * A paired station: the hub it last synced with (`hub_url`, or another
 * hub of the event after that one stopped answering).
 */
on_hub: string | null, };
export type StationRef = { station: string, name: string, };
export type RevocationReach = { serial: string, received: Array<StationRef>, missing: Array<StationRef>, };
export type PeerInfo = { station: string, 
/**
 * The name given with its pairing code, or its role and id's start.
 */
name: string, 
/**
 * `desk`, `gate` or `admin`: only desks and admins get private keys.
 */
role: string, paired_at: string, last_contact: string | null, 
/**
 * Set once un-paired: its credential no longer works.
 */
unpaired_at: string | null, 
/**
 * Entries the hub holds from this station.
 */
entries: number, 
/**
 * Entries the hub holds that this station has not acknowledged yet
 * (per origin, the hub's high-water mark above the station's).
 */
backlog: number, 
/**
 * Entries of this station held aside, unapplied: while there are any,
 * the station is quarantined.
 */
held: number, 
/**
 * How far the station's own clock was from the hub's at its last
 * request, in ms (positive: it is behind). Its decisions use the hub's
 * time; past two minutes its screen asks for the clock to be set.
 */
clock_offset_ms: number | null, 
/**
 * When that was measured (RFC 3339, the hub's clock).
 */
clock_seen_at: string | null, 
/**
 * Paired, and not in contact for longer than [`OUT_OF_CONTACT_AFTER_S`]
 * (or never): its revocations may be old, its scans not here yet.
 */
out_of_contact: boolean, 
/**
 * Kiosk mode as the organiser asked it for this station (none: never
 * asked; the station's own `--kiosk` holds).
 */
kiosk_asked: boolean | null, 
/**
 * Kiosk mode as the station last said its window applied it (its
 * `kiosk.applied` audit entry), and when.
 */
kiosk_applied: boolean | null, kiosk_applied_at: string | null, 
/**
 * A site's hub (`pair --role site`): it relays its own stations.
 */
site: boolean, 
/**
 * A site: the stations it relays here.
 */
relays: number, 
/**
 * Entries the station (a site: it and its stations) held at its last
 * contact that this hub has not received yet.
 */
unsent: number, 
/**
 * A site: its link is up (in contact within [`SITE_LINK_UP_S`]; its
 * relay loop comes back at least every 15 s).
 */
link_up: boolean, };
export type PairingCode = { url: string, 
/**
 * The long form: the short code, a dot, and the fingerprint of the
 * hub's certificate (what the QR code carries).
 */
code: string, 
/**
 * What people read and type: `5S65-W8TP-YWHJ`. With the hub's address
 * it is enough to join.
 */
short: string, role: Role, 
/**
 * The name the station will go by in the hub's list, if one was given.
 */
name: string | null, 
/**
 * A QR code of `{"url", "code"}` (what `pair --json` prints), as SVG.
 */
qr_svg: string, 
/**
 * The short name the code is listed and cancelled by (not its secret).
 */
label: string, 
/**
 * When the code stops working if nobody used it.
 */
expires_at: string, };
export type JoinOutcome = { 
/**
 * The hub's station id, as the hub names itself.
 */
hub: string, url: string, 
/**
 * The role the hub granted this station.
 */
role: Role, 
/**
 * The name the hub gave this station at pairing ("Porte Hall").
 */
name: string | null, 
/**
 * The station id the hub gave it.
 */
station: string, 
/**
 * The hub's event, if the first sync brought it already.
 */
event: string | null, };
export type PairingRequest = { role: Role, name: string | null, 
/**
 * Minutes the code stays valid (default 15, at most a day).
 */
valid_for_min?: number, 
/**
 * The station (by id) the code re-pairs in place of, its database
 * damaged: the station that spends it takes its identity's place and
 * may hand over what the old one had not sent (`join --recover`).
 */
replaces?: string, 
/**
 * A code for another site's hub (`pair --role site`, with `role`
 * admin): it relays its own stations here (`docs/SCALE.md`, "Sites").
 */
site?: boolean, };
export type OpenCode = { label: string, role: string, name: string | null, created_at: string, expires_at: string, };
export type Unpaired = { station: string, role: Role, 
/**
 * A desk or admin station held every private signing key: whoever has
 * the laptop can sign badges until the keys are rotated and retired.
 */
held_signing_keys: boolean, 
/**
 * The signing keys it could have held (not retired yet), by key id.
 */
keys_to_rotate: Array<string>, 
/**
 * The badge versions issued there (`BMX-000042/2`), at most 1,000.
 */
badges_issued: Array<string>, };
export type SecurityAlert = { id: number, station: string, 
/**
 * The name given at pairing, if any.
 */
name: string | null, role: string | null, at: string, 
/**
 * The record kinds it tried to send (comma-separated).
 */
kinds: string, why: string, 
/**
 * Its entries held aside now.
 */
held: number, };
export type HeldEntry = { origin: string, seq: number, kind: string, key: string, why: string, held_at: string, };
export type Resolution = "release" | "discard";
export type Resolved = { 
/**
 * Entries applied (and relayed from now on).
 */
applied: number, 
/**
 * Entries kept only as a withheld place in the log.
 */
withheld: number, };
export type ConflictRow = { conflict: Conflict, 
/**
 * The holder ("" if unknown or erased).
 */
name: string, 
/**
 * Oldest first.
 */
notes: Array<ConflictNote>, };
export type ConflictNote = { at: string, by: string, text: string, };
export type Attendee = { id: string, serial: BadgeSerial, 
/**
 * The organiser's own reference, from imports.
 */
external_ref: string | null, given_names: string, family_name: string, organisation: string, job_title: string, 
/**
 * ISO 3166-1 alpha-2.
 */
country: string | null, category: CategoryCode, 
/**
 * The delegation's name.
 */
delegation: string | null, email: string, phone: string, doc_type: string, 
/**
 * Sensitive.
 */
doc_number: string, 
/**
 * Sensitive (migration 0026): from an identity document or an import.
 */
birth_date: string | null, 
/**
 * `None`: the category's zones.
 */
zones_override: Array<ZoneCode> | null, 
/**
 * `None`: the category's days.
 */
days_override: Array<string> | null, has_photo: boolean, 
/**
 * SHA-256 of the stored JPEG, hex.
 */
photo_sha256: string | null, status: Status, notes: string, created_at: string, created_by: string, updated_at: string, updated_by: string, };
export type NewAttendee = { external_ref: string | null, given_names: string, family_name: string, organisation: string, job_title: string, 
/**
 * A code or a name in French or English; stored as the alpha-2 code.
 */
country: string | null, category: CategoryCode, delegation: string | null, email: string, phone: string, doc_type: string, doc_number: string, 
/**
 * Sensitive.
 */
birth_date: string | null, zones_override: Array<ZoneCode> | null, days_override: Array<string> | null, notes: string, };
export type Status = "preregistered" | "registered" | "printed" | "revoked";
export type FieldError = { field: string, problem: FieldProblem, message: string, };
export type FieldProblem = { "kind": "missing" } | { "kind": "too_long", max: number, } | { "kind": "control_character" } | { "kind": "unknown_category", value: string, 
/**
 * The event's categories, which a value may name by code or by
 * name in either language.
 */
accepted?: Array<CategoryChoice>, 
/**
 * The accepted spelling nearest to `value`, when one is near
 * ("Exposants" → "Exposant").
 */
suggestion?: string, } | { "kind": "unknown_country", value: string, } | { "kind": "not_an_email", value: string, } | { "kind": "unknown_zone", value: string, } | { "kind": "not_a_date", value: string, } | { "kind": "day_outside_event", value: string, } | { "kind": "not_a_badge_number", value: string, } | { "kind": "same_person_as", line: number, } | { "kind": "pin_policy", role: Role, min: number, max: number, };
export type SearchHit = { serial: BadgeSerial, given_names: string, family_name: string, organisation: string, job_title: string, country: string | null, category: CategoryCode, delegation: string | null, status: Status, has_photo: boolean, };
export type Format = "a6" | "cr80";
export type PrintRequest = { 
/**
 * The CUPS queue chosen in the station's settings.
 */
printer: string, format: Format, 
/**
 * Issue a new version first: the badge printed before is superseded.
 */
reprint: boolean, };
export type PrintOutcome = { serial: BadgeSerial, 
/**
 * The badge version the printed QR carries.
 */
version: number, printer: string, 
/**
 * The print system's job id (`GatehousePDF-12`), when it gave one.
 */
job: string | null, 
/**
 * The attendee after printing (status `printed`).
 */
attendee: Attendee, };
export type PrinterInfo = { name: string, 
/**
 * The system's default destination.
 */
is_default: boolean, 
/**
 * False when the queue is disabled (it would hold the jobs).
 */
enabled: boolean, };
export type JobState = "pending" | "held" | "processing" | "stopped" | "canceled" | "aborted" | "completed";
export type JobProgress = { 
/**
 * CUPS's job id, `PRINTER-N`.
 */
job: string, state: JobState, 
/**
 * No further change will come (completed, canceled or failed).
 */
done: boolean, 
/**
 * Pages printed so far.
 */
pages: number, 
/**
 * What holds the job or made it fail, in plain words: the job's own
 * reasons, then its printer's trouble ("the printer is offline", "out
 * of paper", "stopped"). Empty when all is well.
 */
problems: Array<string>, 
/**
 * All of it on one line, as `gatehouse print` reports it.
 */
line: string, };
export type BadgeField = "logo" | "photo" | "organisation" | "country" | "zones" | "days" | "serial";
export type Lang = "fr" | "en";
export type BadgeTemplate = { 
/**
 * The event's name in the badge header.
 */
event: string, 
/**
 * The second header line (A6 only).
 */
subtitle: string, language: Lang, default_format: Format, 
/**
 * Names and details.
 */
ink: Color, 
/**
 * The event's name.
 */
accent: Color, 
/**
 * Country and subtitle.
 */
muted: Color, 
/**
 * The optional parts printed; the name, the category band and the QR
 * code are always printed.
 */
fields: Array<BadgeField>, 
/**
 * The event's own logo (a PNG as base64), printed in place of the
 * built-in BAMEX'25 one when `fields` has `logo`; it travels to the
 * stations with the template.
 */
logo?: string, };
export type Column = "serial" | "external_ref" | "given_names" | "family_name" | "organisation" | "job_title" | "country" | "category" | "delegation" | "email" | "phone" | "doc_type" | "doc_number" | "birth_date" | "zones" | "days" | "notes" | "ignored";
export type Mapping = Array<Column | null>;
export type ImportError = { line: number, 
/**
 * The column's header as written in the file; `None` for the row.
 */
column: string | null, 
/**
 * The cell as written in the file; `None` for the row.
 */
value: string | null, 
/**
 * Why, for a UI to say in its language.
 */
problem: FieldProblem, 
/**
 * Why, in English (logs, scripts).
 */
message: string, };
export type ImportReport = { created: number, updated: number, unchanged: number, invalid: number, errors: Array<ImportError>, 
/**
 * Header cells that name no known column (their data is not imported).
 */
ignored_columns: Array<string>, 
/**
 * Whether anything was written (not for a dry run, nor a refused file).
 */
written: boolean, };
export type ImportPreview = { file_name: string, headers: Array<string>, mapping: Mapping, 
/**
 * Per column, its first few distinct non-empty values.
 */
samples: Array<Array<string>>, 
/**
 * Data rows in the file (blank lines included).
 */
rows: number, 
/**
 * The dry run; `None` when the mapping itself is refused.
 */
report: ImportReport | null, 
/**
 * Why the mapping is refused (a missing or doubled column), in
 * French and in English.
 */
problem: Texts | null, };
export type ImportPhase = "checking" | "writing" | "done" | "failed";
export type ImportProgress = { id: string, phase: ImportPhase, done: number, total: number, 
/**
 * Once `done`: what the import did (or, refused, why: its errors).
 */
report: ImportReport | null, 
/**
 * Once `failed`.
 */
error: ApiError | null, };
export type Erasure = { serial: BadgeSerial, erased_at: string, 
/**
 * Whether this erase revoked the badge (false: it was already revoked).
 */
revoked: boolean, 
/**
 * Audit entries written before badge numbers replaced names there
 * (`attendee.create` of earlier versions) that still name this person:
 * the hash chain forbids rewriting them, so the organiser is told.
 */
audit_still_naming: number, };
export type Purge = { 
/**
 * Attendees erased now.
 */
erased: number, 
/**
 * Badges this purge revoked.
 */
revoked: number, 
/**
 * Attendees that were erased before.
 */
already_erased: number, };
export type BatchPdfRequest = { serials: Array<BadgeSerial>, format: Format, 
/**
 * Badges already printed get a new version first (the old ones are
 * superseded); without it they are made again under their version.
 */
reprint: boolean, };
export type PdfBatchSaved = { name: string, 
/**
 * Where it went, to tell the officer.
 */
path: string, 
/**
 * How many badges it holds.
 */
count: number, skipped_revoked: Array<BadgeSerial>, };
export type HoldPolicy = "off" | "no_print" | "print_held";
export type Accreditation = "applied" | "in_review" | "cleared" | "refused" | "more_info";
export type VettingDecision = { id: string, serial: string, status: Accreditation, reason: string, 
/**
 * Unix milliseconds (orders decisions across stations).
 */
at_ms: number, by: string, };
export type QueueRow = { serial: BadgeSerial, external_ref: string | null, given_names: string, family_name: string, organisation: string, job_title: string, country: string | null, category: string, delegation: string | null, doc_type: string, has_photo: boolean, status: Accreditation, 
/**
 * The latest decision's reason, who made it and when (Unix ms).
 */
reason: string | null, decided_by: string | null, decided_at_ms: number | null, 
/**
 * Watchlist hits above the threshold (on organiser stations, which
 * hold the list; 0 elsewhere).
 */
watchlist_hits: number, };
export type DocumentReveal = { serial: BadgeSerial, doc_type: string, 
/**
 * Empty when none is on file.
 */
doc_number: string, };
export type QueueFilter = { status?: Accreditation, category?: string, country?: string, delegation?: string, 
/**
 * Only those with watchlist hits.
 */
watchlist?: boolean, };
export type DecisionRequest = { serial: BadgeSerial, status: Accreditation, reason: string, };
export type PrintRule = "print" | "print_held" | "refuse";
export type AccreditationView = { serial: BadgeSerial, 
/**
 * Their category is vetted (whatever the hold policy).
 */
vetted: boolean, status: Accreditation, print: PrintRule, };
export type WatchlistHitView = { reference: string, 
/**
 * The listed name, then its aliases.
 */
names: Array<string>, note: string, score: number, reasons_fr: Array<string>, reasons_en: Array<string>, };
export type ScreenedAttendee = { serial: string, given_names: string, family_name: string, held: boolean, hits: Array<WatchlistHitView>, };
export type WatchlistView = { entries: number, 
/**
 * When the list in place was imported (RFC 3339), if there is one.
 */
imported_at: string | null, attendees: Array<ScreenedAttendee>, };
export type WatchlistImported = { entries: number, 
/**
 * Nothing is written when a line is refused.
 */
written: boolean, errors: Array<ImportError>, ignored_columns: Array<string>, held: number, released: number, };
export type FirstStart = { 
/**
 * No event, no staff account, not paired with a hub.
 */
empty: boolean, };
export type NewEvent = { name: string, first_day: string, last_day: string, 
/**
 * IANA time zone (the browser's own by default).
 */
time_zone: string, admin_name: string, admin_pin: string, };
export type Holder = { serial: BadgeSerial, given_names: string, family_name: string, organisation: string, category: CategoryCode, status: Status, 
/**
 * Fetch it with [`holder_photo`].
 */
has_photo: boolean, };
export type SearchAttendeesArgs = { query: string, limit?: number, };
export type GetAttendeeArgs = { serial: BadgeSerial, };
export type CreateAttendeeArgs = { fields: NewAttendee, };
export type UpdateAttendeeArgs = { serial: BadgeSerial, fields: NewAttendee, };
export type AttendeePhotoArgs = { serial: BadgeSerial, };
export type ReadDocumentArgs = { text: string, };
export type BadgePreviewArgs = { serial: BadgeSerial, format?: Format, };
export type PrintBadgeArgs = { serial: BadgeSerial, req: PrintRequest, };
export type PrintJobArgs = { job: string, lang?: Lang, };
export type ListPrintersArgs = Record<symbol, never>;
export type ListDelegationsArgs = Record<symbol, never>;
export type DelegationMembersArgs = { name: string, };
export type ScanArgs = { token: string, zone: ZoneCode, direction?: Direction, };
export type VerifyArgs = { token: string, zone: ZoneCode, direction?: Direction, };
export type ListScansArgs = { zone?: ZoneCode, serial?: BadgeSerial, };
export type GateStatusArgs = { zone: ZoneCode, };
export type HolderPhotoArgs = { serial: BadgeSerial, };
export type HolderArgs = { serial: BadgeSerial, };
export type OverrideDenialArgs = { req: OverrideRequest, };
export type GetBadgeTemplateArgs = Record<symbol, never>;
export type SetBadgeTemplateArgs = { settings: BadgeTemplate, };
export type BadgeTemplatePreviewArgs = { settings: BadgeTemplate, format?: Format, };
export type DashboardArgs = { day?: string | null, };
export type RollcallArgs = { zone: ZoneCode, };
export type ReportsArgs = Record<symbol, never>;
export type AuditEntriesArgs = { filter: AuditFilter, };
export type AuditVerifyArgs = Record<symbol, never>;
export type ListRevocationsArgs = Record<symbol, never>;
export type RevokeArgs = { serial: BadgeSerial, reason: string, };
export type SaveEventArgs = { save: EventSave, };
export type EventImpactArgs = { event: EventInfo, };
export type ListStaffArgs = Record<symbol, never>;
export type CreateStaffArgs = { change: StaffChange, };
export type UpdateStaffArgs = { id: string, change: StaffChange, };
export type ListKeysArgs = Record<symbol, never>;
export type RotateKeyArgs = Record<symbol, never>;
export type RetireKeyArgs = { kid: string, };
export type ListConflictsArgs = Record<symbol, never>;
export type NoteConflictArgs = { scans: Array<string>, text: string, };
export type SyncStatusArgs = Record<symbol, never>;
export type SyncStationsArgs = Record<symbol, never>;
export type SyncPairArgs = { req: PairingRequest, };
export type SyncUnpairArgs = { station: string, };
export type SyncOpenCodesArgs = Record<symbol, never>;
export type SyncCancelCodeArgs = { label: string, };
export type SyncAlertsArgs = Record<symbol, never>;
export type SyncHeldArgs = { station?: string | null, };
export type SyncResolveArgs = { station: string, resolution: Resolution, };
export type RevocationReachArgs = Record<symbol, never>;
export type SyncStationKioskArgs = { station: string, kiosk: boolean, };
export type VettingQueueArgs = { filter: QueueFilter, };
export type VettingDecideArgs = { decisions: Array<DecisionRequest>, };
export type VettingDocumentArgs = { serial: BadgeSerial, };
export type AccreditationArgs = { serial: BadgeSerial, };
export type WatchlistArgs = Record<symbol, never>;
export type ErasePersonArgs = { serial: BadgeSerial, };
export type PurgePeopleArgs = { confirm: string, };
export type BackupNowArgs = { folder: string, passphrase: string, keep?: number, };
export type BackupScheduleArgs = Record<symbol, never>;
export type BackupScheduleSetArgs = { setting: BackupScheduleSetting, };
export type BackupScheduleResumeArgs = { passphrase: string, };
export type BackupScheduleOffArgs = Record<symbol, never>;
/** Every operation of `Backend.call`: its input and output (`crates/gatehouse-api/src/api/ops.rs`). */
export type Operations = {
  search_attendees: { input: SearchAttendeesArgs; output: Array<SearchHit> };
  get_attendee: { input: GetAttendeeArgs; output: Attendee };
  create_attendee: { input: CreateAttendeeArgs; output: Attendee };
  update_attendee: { input: UpdateAttendeeArgs; output: Attendee };
  attendee_photo: { input: AttendeePhotoArgs; output: Blob };
  read_document: { input: ReadDocumentArgs; output: DocumentRead };
  badge_preview: { input: BadgePreviewArgs; output: Blob };
  print_badge: { input: PrintBadgeArgs; output: PrintOutcome };
  print_job: { input: PrintJobArgs; output: JobProgress };
  list_printers: { input: ListPrintersArgs; output: Array<PrinterInfo> };
  list_delegations: { input: ListDelegationsArgs; output: Array<string> };
  delegation_members: { input: DelegationMembersArgs; output: Array<SearchHit> };
  scan: { input: ScanArgs; output: ScanOutcome };
  verify: { input: VerifyArgs; output: Verdict };
  list_scans: { input: ListScansArgs; output: Array<Scan> };
  gate_status: { input: GateStatusArgs; output: GateStatus };
  holder_photo: { input: HolderPhotoArgs; output: HolderPhoto };
  holder: { input: HolderArgs; output: Holder };
  override_denial: { input: OverrideDenialArgs; output: OverrideOutcome };
  get_badge_template: { input: GetBadgeTemplateArgs; output: BadgeTemplate };
  set_badge_template: { input: SetBadgeTemplateArgs; output: BadgeTemplate };
  badge_template_preview: { input: BadgeTemplatePreviewArgs; output: Blob };
  dashboard: { input: DashboardArgs; output: Dashboard };
  rollcall: { input: RollcallArgs; output: Rollcall };
  reports: { input: ReportsArgs; output: Reports };
  audit_entries: { input: AuditEntriesArgs; output: AuditPage };
  audit_verify: { input: AuditVerifyArgs; output: AuditVerification };
  list_revocations: { input: ListRevocationsArgs; output: Array<RevocationRow> };
  revoke: { input: RevokeArgs; output: Revocation };
  save_event: { input: SaveEventArgs; output: EventInfo };
  event_impact: { input: EventImpactArgs; output: AccessImpact };
  list_staff: { input: ListStaffArgs; output: Array<StaffMember> };
  create_staff: { input: CreateStaffArgs; output: StaffMember };
  update_staff: { input: UpdateStaffArgs; output: StaffMember };
  list_keys: { input: ListKeysArgs; output: Array<KeyInfo> };
  rotate_key: { input: RotateKeyArgs; output: KeyInfo };
  retire_key: { input: RetireKeyArgs; output: Array<KeyInfo> };
  list_conflicts: { input: ListConflictsArgs; output: Array<ConflictRow> };
  note_conflict: { input: NoteConflictArgs; output: ConflictNote };
  sync_status: { input: SyncStatusArgs; output: SyncStatus };
  sync_stations: { input: SyncStationsArgs; output: Array<PeerInfo> };
  sync_pair: { input: SyncPairArgs; output: PairingCode };
  sync_unpair: { input: SyncUnpairArgs; output: Unpaired };
  sync_open_codes: { input: SyncOpenCodesArgs; output: Array<OpenCode> };
  sync_cancel_code: { input: SyncCancelCodeArgs; output: null };
  sync_alerts: { input: SyncAlertsArgs; output: Array<SecurityAlert> };
  sync_held: { input: SyncHeldArgs; output: Array<HeldEntry> };
  sync_resolve: { input: SyncResolveArgs; output: Resolved };
  revocation_reach: { input: RevocationReachArgs; output: Array<RevocationReach> };
  sync_station_kiosk: { input: SyncStationKioskArgs; output: null };
  vetting_queue: { input: VettingQueueArgs; output: Array<QueueRow> };
  vetting_decide: { input: VettingDecideArgs; output: Array<VettingDecision> };
  vetting_document: { input: VettingDocumentArgs; output: DocumentReveal };
  accreditation: { input: AccreditationArgs; output: AccreditationView };
  watchlist: { input: WatchlistArgs; output: WatchlistView };
  erase_person: { input: ErasePersonArgs; output: Erasure };
  purge_people: { input: PurgePeopleArgs; output: Purge };
  backup_now: { input: BackupNowArgs; output: BackupSummary };
  backup_schedule: { input: BackupScheduleArgs; output: BackupSchedule };
  backup_schedule_set: { input: BackupScheduleSetArgs; output: BackupSchedule };
  backup_schedule_resume: { input: BackupScheduleResumeArgs; output: BackupSchedule };
  backup_schedule_off: { input: BackupScheduleOffArgs; output: BackupSchedule };
};
/** The operations that answer a picture, with its type. */
export const OPERATION_PICTURES: { [op: string]: string } = {
  attendee_photo: 'image/jpeg',
  badge_preview: 'image/png',
  badge_template_preview: 'image/png',
};
