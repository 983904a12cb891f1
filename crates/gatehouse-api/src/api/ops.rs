//! The one list of operations a screen calls: for each its name, the
//! [`Permission`] it needs, its input (a struct of named fields), its output
//! and the [`Api`] call that does it. Everything else is generated from it:
//!
//! - [`Api::call`] decides the permission, once: the session → `authorize`
//!   with the operation's permission → the input parsed → the call → the
//!   output, errors as the one [`Error`];
//! - `gatehouse serve` answers `POST /api/op/{name}` (JSON arguments in the
//!   body) for every operation ([`crate::http`]);
//! - the window has one Tauri command, `call(session, op, args)`, that goes
//!   through [`Api::call`] too (`src-tauri/src/main.rs`);
//! - the UI's typed `Backend.call(name, args)` takes its names and types from
//!   [`typescript`] (`ui/src/lib/bindings.ts`, the `Operations` map).
//!
//! Adding an operation is its domain function, one entry below, and the
//! screen that calls it: a child of `api`, the table reaches the store
//! through `Api` itself (`delegation_members` calls its domain function
//! directly), so no `Api` method is needed for a one-line delegate. Operations that need the window itself (kiosk,
//! saving a file into Downloads, restarting after joining a hub) or a raw
//! upload stay shell commands; their permissions are in
//! [`SHELL_OPERATIONS`].

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::Api;
use crate::auth::{Caller, Permission};
use crate::badge::template::TemplateSettings;
use crate::badge::Format;
use crate::desk::{DocumentRead, PrintOutcome, PrintRequest, PrinterInfo};
use crate::error::{Error, Result};
use crate::event::ZoneCode;
use crate::gate::{Direction, Verdict};
use crate::gate_station::{GateStatus, Holder, HolderPhoto, OverrideOutcome, OverrideRequest};
use crate::lang::Lang;
use crate::messages::Msg;
use crate::print::JobProgress;
use crate::registry::{Attendee, NewAttendee, SearchHit};
use crate::scan_log::ScanOutcome;
use crate::serial::BadgeSerial;

/// One operation as the shells and the tests see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Its wire name: `POST /api/op/{name}`, `call(name, …)` in the window.
    pub name: &'static str,
    /// What the caller's session must allow (and the station's paired role).
    pub permission: Permission,
}

/// An operation's answer, ready for a shell to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The output as JSON text.
    Json(String),
    /// A picture, as its bytes (a `Blob` in the UI).
    Bytes { mime: &'static str, bytes: Vec<u8> },
}

/// The arguments as a shell received them: already parsed (the window's
/// IPC), or the request's body (`serve`). Read only once the caller is
/// authorized, so a refused caller is refused whatever they sent.
#[derive(Debug)]
pub enum Args<'a> {
    Value(serde_json::Value),
    Body(&'a [u8]),
}

/// A JPEG answer (an attendee's stored photo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jpeg(pub Vec<u8>);

/// A PNG answer (a badge preview).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Png(pub Vec<u8>);

/// What an operation may answer: anything serialisable with a TypeScript
/// type, or a picture.
pub trait Output {
    fn reply(self) -> Result<Reply>;
    /// Its TypeScript type in the `Operations` map.
    fn typescript(cfg: &ts_rs::Config) -> String;
    /// The picture's type, for a binary answer.
    const MIME: Option<&'static str> = None;
}

impl<T: Serialize + TS> Output for T {
    fn reply(self) -> Result<Reply> {
        serde_json::to_string(&self)
            .map(Reply::Json)
            .map_err(|e| Error::Internal(format!("answer not written as JSON: {e}")))
    }
    fn typescript(cfg: &ts_rs::Config) -> String {
        T::name(cfg)
    }
}

impl Output for Jpeg {
    const MIME: Option<&'static str> = Some("image/jpeg");
    fn reply(self) -> Result<Reply> {
        Ok(Reply::Bytes {
            mime: "image/jpeg",
            bytes: self.0,
        })
    }
    fn typescript(_: &ts_rs::Config) -> String {
        "Blob".into()
    }
}

impl Output for Png {
    const MIME: Option<&'static str> = Some("image/png");
    fn reply(self) -> Result<Reply> {
        Ok(Reply::Bytes {
            mime: "image/png",
            bytes: self.0,
        })
    }
    fn typescript(_: &ts_rs::Config) -> String {
        "Blob".into()
    }
}

/// The operations each shell answers itself, because they need what only
/// it has: a raw upload (a photo, a spreadsheet), a file handed to the user
/// (a browser download, the window's Downloads folder), or the station
/// reopened on another database (joining a hub). Their permission is
/// stated here all the same, and checked by [`Api::authorize_op`].
pub const SHELL_OPERATIONS: &[Operation] = &[
    Operation {
        name: "set_photo",
        permission: Permission::EditRegistry,
    },
    Operation {
        name: "badge_pdf",
        permission: Permission::PrintBadges,
    },
    Operation {
        name: "badges_pdf",
        permission: Permission::PrintBadges,
    },
    // The console's files (`crate::console`): a download in the browser,
    // saved into Downloads by the window.
    Operation {
        name: "rollcall_file",
        permission: Permission::ManageEvent,
    },
    Operation {
        name: "report_file",
        permission: Permission::ManageEvent,
    },
    // Joining a hub from the console: the station then restarts on the
    // joined database, which each shell does its own way.
    Operation {
        name: "sync_join",
        permission: Permission::ManageEvent,
    },
    // A person's data as a JSON file (privacy): handed over like the
    // console's other files.
    Operation {
        name: "export_person",
        permission: Permission::ManageEvent,
    },
    // Uploads of a CSV or XLSX file: the watchlist, and the registry's
    // import (its preview, then the import in the background and its
    // progress, polled).
    Operation {
        name: "watchlist_import",
        permission: Permission::ManageEvent,
    },
    Operation {
        name: "import_preview",
        permission: Permission::ManageEvent,
    },
    Operation {
        name: "import_start",
        permission: Permission::ManageEvent,
    },
    Operation {
        name: "import_progress",
        permission: Permission::ManageEvent,
    },
];

/// The operation named `name`, if there is one (in either list).
pub fn operation(name: &str) -> Option<Operation> {
    OPERATIONS
        .iter()
        .chain(SHELL_OPERATIONS)
        .copied()
        .find(|op| op.name == name)
}

/// Reads an operation's input; a refusal names the field.
fn parse<T: DeserializeOwned>(name: &str, args: serde_json::Value) -> Result<T> {
    let args = match args {
        serde_json::Value::Null => serde_json::Value::Object(Default::default()),
        other => other,
    };
    serde_json::from_value(args).map_err(|e| {
        Msg::OperationInput {
            name: name.to_string(),
            detail: e.to_string(),
        }
        .into()
    })
}

impl Api {
    /// The caller of `token`, allowed to run the operation `name` of either
    /// list (a shell's own operations call this; [`Api::call`] does for the
    /// table's).
    pub fn authorize_op(
        &self,
        token: Option<&str>,
        name: &str,
        now: jiff::Timestamp,
    ) -> Result<Caller> {
        let op = operation(name).ok_or_else(|| Msg::OperationUnknown {
            name: name.to_string(),
        })?;
        self.authorize(token, op.permission, now)
    }

    /// Runs the operation `name` for the session `token`: the one place
    /// its permission is checked (from [`OPERATIONS`]), for every shell.
    pub async fn call(
        &self,
        token: Option<&str>,
        name: &str,
        args: Args<'_>,
        now: jiff::Timestamp,
    ) -> Result<Reply> {
        let op = OPERATIONS
            .iter()
            .find(|op| op.name == name)
            .ok_or_else(|| Msg::OperationUnknown {
                name: name.to_string(),
            })?;
        let caller = self.authorize(token, op.permission, now)?;
        let args = match args {
            Args::Value(v) => v,
            Args::Body([]) => serde_json::Value::Null,
            Args::Body(bytes) => {
                serde_json::from_slice(bytes).map_err(|e| Msg::OperationInput {
                    name: name.to_string(),
                    detail: e.to_string(),
                })?
            }
        };
        dispatch(self, caller, op.name, args, now).await
    }
}

/// The table: `name(Input { fields }) -> Output, Permission, |api, caller| call;`
/// (the fields are in scope in the call); `|api, caller, now|` also names
/// the instant the shell received the call (the clock a few operations
/// read rather than the time agreed with the hub, [`Api::now`]).
macro_rules! operations {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident ( $Input:ident { $( $(#[$fattr:meta])* $field:ident : $fty:ty ),* $(,)? } )
            -> $Output:ty, $perm:ident,
            |$api:ident, $caller:ident $(, $now:ident)?| $body:expr;
    )*) => {
        $(
            #[doc = concat!("The input of `", stringify!($name), "`.")]
            $(#[doc = $doc])*
            #[derive(Debug, Deserialize, TS)]
            #[serde(deny_unknown_fields)]
            pub struct $Input { $( $(#[$fattr])* pub $field: $fty, )* }
        )*

        /// Every operation with its permission: the only place it is stated.
        pub const OPERATIONS: &[Operation] = &[
            $( Operation { name: stringify!($name), permission: Permission::$perm }, )*
        ];

        async fn dispatch(
            api: &Api,
            caller: Caller,
            name: &str,
            args: serde_json::Value,
            now: jiff::Timestamp,
        ) -> Result<Reply> {
            match name {
                $(
                    stringify!($name) => {
                        #[allow(clippy::redundant_locals)]
                        let $Input { $($field),* } = parse::<$Input>(stringify!($name), args)?;
                        let $api = api;
                        let $caller = caller;
                        $( let $now = now; )?
                        let out: $Output = $body?;
                        Output::reply(out)
                    }
                )*
                _ => Err(Msg::OperationUnknown { name: name.to_string() }.into()),
            }
        }

        /// The inputs' TypeScript declarations, the `Operations` map (name →
        /// input and output) and the picture types of binary answers.
        pub fn typescript(cfg: &ts_rs::Config) -> String {
            let mut out = String::new();
            $(
                out.push_str("export ");
                out.push_str(&<$Input as TS>::decl(cfg));
                out.push('\n');
            )*
            out.push_str("/** Every operation of `Backend.call`: its input and output (`crates/gatehouse-api/src/api/ops.rs`). */\n");
            out.push_str("export type Operations = {\n");
            $(
                out.push_str(&format!(
                    "  {}: {{ input: {}; output: {} }};\n",
                    stringify!($name),
                    stringify!($Input),
                    <$Output as Output>::typescript(cfg),
                ));
            )*
            out.push_str("};\n");
            out.push_str("/** The operations that answer a picture, with its type. */\n");
            out.push_str("export const OPERATION_PICTURES: { [op: string]: string } = {\n");
            $(
                if let Some(mime) = <$Output as Output>::MIME {
                    out.push_str(&format!("  {}: '{}',\n", stringify!($name), mime));
                }
            )*
            out.push_str("};\n");
            out
        }
    };
}

operations! {
    // ── The registry (`crate::registry`) ──────────────────────────────────
    /// Attendees by name, organisation, badge or document number, best first.
    search_attendees(SearchAttendeesArgs { query: String, #[ts(optional)] limit: Option<u32> })
        -> Vec<SearchHit>, ViewRegistry,
        |api, _caller| api.search(&query, limit.unwrap_or(20)).await;

    /// One attendee's whole record (reading a document number is audited).
    get_attendee(GetAttendeeArgs { serial: BadgeSerial })
        -> Attendee, ViewRegistry,
        |api, caller| api.attendee(&serial, &caller.actor(), api.now().await?).await;

    create_attendee(CreateAttendeeArgs { fields: NewAttendee })
        -> Attendee, EditRegistry,
        |api, caller| api.create_attendee(fields, api.now().await?, &caller.actor()).await;

    update_attendee(UpdateAttendeeArgs { serial: BadgeSerial, fields: NewAttendee })
        -> Attendee, EditRegistry,
        |api, caller| api.update_attendee(&serial, fields, api.now().await?, &caller.actor()).await;

    /// The stored (normalised) JPEG; `not_found` when there is none.
    attendee_photo(AttendeePhotoArgs { serial: BadgeSerial })
        -> Jpeg, ViewRegistry,
        |api, _caller| api.attendee_photo(&serial).await.map(Jpeg);

    // ── The registration desk (`crate::desk`) ─────────────────────────────
    /// An identity document's MRZ as the desk's reader typed it: its fields
    /// and problems, and the records it may be.
    read_document(ReadDocumentArgs { text: String })
        -> DocumentRead, ViewRegistry,
        |api, _caller| api.read_document(&text, api.now().await?).await;

    /// The badge's current version as a PNG, as it will print (A6 unless said).
    badge_preview(BadgePreviewArgs { serial: BadgeSerial, #[ts(optional)] format: Option<Format> })
        -> Png, PrintBadges,
        |api, caller| api
            .badge_preview(&serial, format.unwrap_or(Format::A6), api.now().await?, &caller.actor())
            .await
            .map(Png);

    /// Prints one badge silently (a reprint first supersedes the old badge).
    print_badge(PrintBadgeArgs { serial: BadgeSerial, req: PrintRequest })
        -> PrintOutcome, PrintBadges,
        |api, caller| api.print_badge(&serial, &req, api.now().await?, &caller.actor()).await;

    /// Where a print job is now, the printer's trouble in plain words.
    print_job(PrintJobArgs { job: String, #[ts(optional)] lang: Option<Lang> })
        -> JobProgress, PrintBadges,
        |api, _caller| api.print_job(&job, lang.unwrap_or_default()).await;

    list_printers(ListPrintersArgs {})
        -> Vec<PrinterInfo>, PrintBadges,
        |api, _caller| api.printers().await;

    list_delegations(ListDelegationsArgs {})
        -> Vec<String>, ViewRegistry,
        |api, _caller| crate::desk::delegations(&api.store).await;

    delegation_members(DelegationMembersArgs { name: String })
        -> Vec<SearchHit>, ViewRegistry,
        |api, _caller| crate::desk::delegation_members(&api.store, &name).await;

    // ── The gate (`crate::gate_station`, `crate::scan_log`) ───────────────
    /// The gate decision, recorded durably before it is returned; decided
    /// and recorded on the time agreed with the hub, never a guess.
    scan(ScanArgs { token: String, zone: ZoneCode, #[ts(optional)] direction: Option<Direction> })
        -> ScanOutcome, Scan,
        |api, caller| api
            .scan(&token, &zone, direction.unwrap_or(Direction::In), api.decision_time().await?, None, &caller.actor())
            .await;

    /// The gate decision, not recorded.
    verify(VerifyArgs { token: String, zone: ZoneCode, #[ts(optional)] direction: Option<Direction> })
        -> Verdict, Scan,
        |api, _caller| api
            .verify(&token, &zone, direction.unwrap_or(Direction::In), api.decision_time().await?)
            .await;

    /// The scan log, for a zone or a badge.
    list_scans(ListScansArgs { #[ts(optional)] zone: Option<ZoneCode>, #[ts(optional)] serial: Option<BadgeSerial> })
        -> Vec<crate::scan::Scan>, Scan,
        |api, _caller| api.scans(zone.as_ref(), serial.as_ref()).await;

    /// A gate screen's counters and data freshness for `zone`.
    gate_status(GateStatusArgs { zone: ZoneCode })
        -> GateStatus, Scan,
        |api, _caller| api.gate_status(&zone, api.agreed_time().await?.timestamp()).await;

    /// The holder's stored photo and its short hash; `not_found` when none.
    holder_photo(HolderPhotoArgs { serial: BadgeSerial })
        -> HolderPhoto, ViewHolder,
        |api, _caller| api.holder_photo(&serial).await;

    /// Who holds a badge, as a gate may see them (no contact details, no document).
    holder(HolderArgs { serial: BadgeSerial })
        -> Holder, ViewHolder,
        |api, _caller| api.holder(&serial).await;

    /// A supervisor (their own PIN) lets a denied holder through; the
    /// signed-in officer is recorded beside them.
    override_denial(OverrideDenialArgs { req: OverrideRequest })
        -> OverrideOutcome, Scan,
        |api, caller| api.override_denial(&req, &caller, api.decision_time().await?).await;

    // ── The badge template (`crate::badge::template_store`) ───────────────
    /// The event's badge template as the console edits it.
    get_badge_template(GetBadgeTemplateArgs {})
        -> TemplateSettings, ManageEvent,
        |api, _caller| api.badge_template().await;

    /// Saves the event's badge template (audited); the next badge uses it.
    set_badge_template(SetBadgeTemplateArgs { settings: TemplateSettings })
        -> TemplateSettings, ManageEvent,
        |api, caller| api.set_badge_template(&settings, api.now().await?, &caller.actor()).await;

    /// A sample badge drawn with `settings`, saved or not, as a PNG.
    badge_template_preview(BadgeTemplatePreviewArgs { settings: TemplateSettings, #[ts(optional)] format: Option<Format> })
        -> Png, ManageEvent,
        |api, _caller| api
            .badge_template_preview(settings, format.unwrap_or(Format::A6))
            .await
            .map(Png);

    // ── The organiser console (`crate::console`) ──────────────────────────
    /// The live dashboard; its day's figures for `day` (a venue day,
    /// YYYY-MM-DD), today at the venue when absent.
    dashboard(DashboardArgs { #[ts(optional = nullable, as = "Option<String>")] day: Option<jiff::civil::Date> })
        -> crate::console::dashboard::Dashboard, ManageEvent,
        |api, _caller| api.dashboard_on(api.now().await?, day).await;

    /// Who is inside `zone` now, from the scan log.
    rollcall(RollcallArgs { zone: ZoneCode })
        -> crate::console::rollcall::Rollcall, ManageEvent,
        |api, _caller| api.rollcall(&zone, api.now().await?).await;

    /// Attendance per day, category, country and delegation; print statistics.
    reports(ReportsArgs {})
        -> crate::console::reports::Reports, ManageEvent,
        |api, _caller| api.reports(api.now().await?).await;

    /// The audit log's entries matching `filter`, newest first.
    audit_entries(AuditEntriesArgs { filter: crate::console::audit_log::AuditFilter })
        -> crate::console::audit_log::AuditPage, ManageEvent,
        |api, _caller| api.audit_entries(&filter).await;

    /// The audit log's hash chain checked from its first entry.
    audit_verify(AuditVerifyArgs {})
        -> crate::console::audit_log::AuditVerification, ManageEvent,
        |api, _caller| api.audit_verify().await;

    /// The revoked badges, newest first.
    list_revocations(ListRevocationsArgs {})
        -> Vec<crate::console::revocations::RevocationRow>, ManageEvent,
        |api, _caller| api.revocations().await;

    /// Revokes a badge (audited, synced): gates refuse it from then on.
    revoke(RevokeArgs { serial: BadgeSerial, reason: String })
        -> crate::badge_issue::Revocation, Revoke,
        |api, caller| api.revoke(&serial, &reason, api.now().await?, &caller.actor()).await;

    /// Saves the whole event setup (days, zones, categories, access matrix);
    /// audited. Refused (`conflict` with `changes`) when the stored event is
    /// no longer `save.based_on`.
    save_event(SaveEventArgs { save: crate::console::setup::EventSave })
        -> crate::event::EventInfo, ManageEvent,
        |api, caller| api.save_event_based_on(save, api.now().await?, &caller.actor()).await;

    /// How many printed badges saving `event` would leave with their old
    /// access (nothing is written).
    event_impact(EventImpactArgs { event: crate::event::EventInfo })
        -> crate::badge_issue::AccessImpact, ManageEvent,
        |api, _caller, now| api.event_access_impact(event, now).await;

    /// The staff accounts (never a PIN or its hash).
    list_staff(ListStaffArgs {})
        -> Vec<crate::console::setup::StaffMember>, ManageEvent,
        |api, _caller| api.staff().await;

    create_staff(CreateStaffArgs { change: crate::console::setup::StaffChange })
        -> crate::console::setup::StaffMember, ManageEvent,
        |api, caller| api.create_staff(change, api.now().await?, &caller.actor()).await;

    update_staff(UpdateStaffArgs { id: String, change: crate::console::setup::StaffChange })
        -> crate::console::setup::StaffMember, ManageEvent,
        |api, caller| api.update_staff(&id, change, api.now().await?, &caller.actor()).await;

    /// The event's signing keys, newest first (the first is made if none).
    list_keys(ListKeysArgs {})
        -> Vec<crate::keys::KeyInfo>, ManageEvent,
        |api, caller| api.keys(api.now().await?, &caller.actor()).await;

    /// A new signing key; older ones keep verifying until retired.
    rotate_key(RotateKeyArgs {})
        -> crate::keys::KeyInfo, ManageEvent,
        |api, caller| api.rotate_key(api.now().await?, &caller.actor()).await;

    /// Retires a key: badges signed with it are refused from now on. Answers
    /// the keys after.
    retire_key(RetireKeyArgs { kid: String })
        -> Vec<crate::keys::KeyInfo>, ManageEvent,
        |api, caller| {
            let kid: crate::token::Kid = kid.parse()?;
            let now = api.now().await?;
            api.retire_key(&kid, now, &caller.actor()).await?;
            api.keys(now, &caller.actor()).await
        };

    /// Double admissions found in the merged scan log, with their review notes.
    list_conflicts(ListConflictsArgs {})
        -> Vec<crate::console::conflicts::ConflictRow>, ManageEvent,
        |api, _caller| api.conflict_rows().await;

    /// Files a review note (an audit entry) on the conflict made of `scans`.
    note_conflict(NoteConflictArgs { scans: Vec<String>, text: String })
        -> crate::console::conflicts::ConflictNote, ManageEvent,
        |api, caller| api.annotate_conflict(&scans, &text, api.now().await?, &caller.actor()).await;

    // ── Sync, on the console (`crate::sync`) ──────────────────────────────
    /// This station's sync status: its hub (or standalone), last sync, last
    /// error; any signed-in station.
    sync_status(SyncStatusArgs {})
        -> crate::sync::visibility::SyncStatus, StationStatus,
        |api, _caller, now| api.sync_status(now).await;

    /// On the hub: the paired stations with their role, last contact and backlog.
    sync_stations(SyncStationsArgs {})
        -> Vec<crate::sync::hub::PeerInfo>, ManageEvent,
        |api, _caller, now| api.sync_stations(now).await;

    /// On the hub: a one-time pairing code (with its QR as SVG) granting `req.role`.
    sync_pair(SyncPairArgs { req: crate::sync::hub::PairingRequest })
        -> crate::sync::hub::PairingCode, ManageEvent,
        |api, caller, now| api.sync_pair(&req, &caller.actor(), now).await;

    /// On the hub: un-pairs a station (a lost laptop); its credential stops
    /// working. Says which signing keys it held (to rotate) and which badges
    /// were issued there.
    sync_unpair(SyncUnpairArgs { station: String })
        -> crate::sync::hub::Unpaired, ManageEvent,
        |api, caller, now| api.sync_unpair(&station, &caller.actor(), now).await;

    /// On the hub: the pairing codes that still work (by label, never their secret).
    sync_open_codes(SyncOpenCodesArgs {})
        -> Vec<crate::sync::hub::OpenCode>, ManageEvent,
        |api, _caller, now| api.sync_open_codes(now).await;

    /// On the hub: cancels the open pairing code `label`; it stops working at once.
    sync_cancel_code(SyncCancelCodeArgs { label: String })
        -> (), ManageEvent,
        |api, caller, now| api.sync_cancel_code(&label, &caller.actor(), now).await;

    /// On the hub: the open security alerts (stations that sent what their
    /// role may not), newest first.
    sync_alerts(SyncAlertsArgs {})
        -> Vec<crate::sync::hub::SecurityAlert>, ManageEvent,
        |api, _caller| api.sync_alerts().await;

    /// On the hub: the entries held aside for `station` (none or empty:
    /// every station's), oldest first.
    sync_held(SyncHeldArgs { #[ts(optional = nullable)] station: Option<String> })
        -> Vec<crate::sync::store::HeldEntry>, ManageEvent,
        |api, _caller| api.sync_held(station.as_deref().filter(|s| !s.is_empty())).await;

    /// On the hub: ends a station's quarantine: `release` applies what its
    /// role allows of its held entries, `discard` applies none.
    sync_resolve(SyncResolveArgs { station: String, resolution: crate::sync::store::Resolution })
        -> crate::sync::store::Resolved, ManageEvent,
        |api, caller, now| api.sync_resolve(&station, resolution, &caller.actor(), now).await;

    /// On the hub: per revoked badge, which paired stations have received
    /// the revocation.
    revocation_reach(RevocationReachArgs {})
        -> Vec<crate::sync::visibility::RevocationReach>, ManageEvent,
        |api, _caller| api.revocation_reach().await;

    /// On the hub: kiosk mode on or off for a paired station (applied at its
    /// next sync).
    sync_station_kiosk(SyncStationKioskArgs { station: String, kiosk: bool })
        -> (), ManageEvent,
        |api, caller, now| api.set_station_kiosk(&station, kiosk, &caller.actor(), now).await;

    // ── Security vetting and the watchlist (`crate::vetting_store`) ───────
    /// People of vetted categories with their accreditation status, filtered.
    vetting_queue(VettingQueueArgs { filter: crate::vetting_store::QueueFilter })
        -> Vec<crate::vetting_store::QueueRow>, Vet,
        |api, _caller| api.vetting_queue(&filter).await;

    /// Decisions, all or none; each audited, a refusal revokes the badge.
    vetting_decide(VettingDecideArgs { decisions: Vec<crate::vetting_store::DecisionRequest> })
        -> Vec<crate::vetting::Decision>, Vet,
        |api, caller| api.vetting_decide(&decisions, api.now().await?, &caller.actor()).await;

    /// One queued person's document number, revealed on request (audited,
    /// naming who asked, never the number).
    vetting_document(VettingDocumentArgs { serial: BadgeSerial })
        -> crate::vetting_store::DocumentReveal, Vet,
        |api, caller| api.vetting_reveal_document(&serial, api.now().await?, &caller.actor()).await;

    /// One person's vetting as the desk shows it (desks and organisers).
    accreditation(AccreditationArgs { serial: BadgeSerial })
        -> crate::vetting_store::AccreditationView, ViewRegistry,
        |api, _caller| api.accreditation(&serial).await;

    /// The watchlist section: the list's size, the attendees with hits, each
    /// explained.
    watchlist(WatchlistArgs {})
        -> crate::registry::screening::WatchlistView, ManageEvent,
        |api, _caller| api.watchlist().await;

    // ── Privacy (`crate::registry::privacy`) ──────────────────────────────
    /// Erases one attendee's personal data (an anonymised tombstone stays,
    /// counted); their badge is revoked.
    erase_person(ErasePersonArgs { serial: BadgeSerial })
        -> crate::registry::privacy::Erasure, ManageEvent,
        |api, caller| api.erase_person(&serial, api.now().await?, &caller.actor()).await;

    /// After the event: erases every attendee; `confirm` must be the event's name.
    purge_people(PurgePeopleArgs { confirm: String })
        -> crate::registry::privacy::Purge, ManageEvent,
        |api, caller| api.purge_people(&confirm, api.now().await?, &caller.actor()).await;

    // ── Backups (`crate::backup`, `crate::backup_schedule`) ───────────────
    /// A backup now into `folder` of this station's disk, keeping this
    /// station's last `keep` there (10 unless said).
    backup_now(BackupNowArgs { folder: String, passphrase: String, #[ts(optional)] keep: Option<u32> })
        -> crate::backup::BackupSummary, ManageEvent,
        |api, _caller, now| api.backup_now(&folder, &passphrase, keep.unwrap_or(10), now).await;

    /// The automatic backups: on or off, paused after a restart, the last
    /// one and its failure.
    backup_schedule(BackupScheduleArgs {})
        -> crate::backup_schedule::ScheduleState, ManageEvent,
        |api, _caller, now| api.backup_schedule(now).await;

    /// Automatic backups on (or changed): every `every_min` minutes into
    /// `folder`, keeping `keep`; the passphrase held in memory only.
    backup_schedule_set(BackupScheduleSetArgs { setting: crate::backup_schedule::Setting })
        -> crate::backup_schedule::ScheduleState, ManageEvent,
        |api, caller, now| api.backup_schedule_set(&setting, &caller.actor(), now).await;

    /// The passphrase again after a restart (it is never written down).
    backup_schedule_resume(BackupScheduleResumeArgs { passphrase: String })
        -> crate::backup_schedule::ScheduleState, ManageEvent,
        |api, _caller, now| api.backup_schedule_resume(&passphrase, now).await;

    backup_schedule_off(BackupScheduleOffArgs {})
        -> crate::backup_schedule::ScheduleState, ManageEvent,
        |api, caller, now| api.backup_schedule_off(&caller.actor(), now).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for op in OPERATIONS.iter().chain(SHELL_OPERATIONS) {
            assert!(seen.insert(op.name), "{} twice", op.name);
            assert!(
                op.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                op.name
            );
        }
    }
}
