//! The one API every shell calls: the Tauri commands, the HTTP handlers of
//! `gatehouse serve` and the CLI parse their input, call these methods and
//! format the result. Nothing here knows which shell is calling.

use std::path::Path;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::auth::{Caller, Permission, SessionInfo, Sessions};
use crate::error::{Error, Result};
use crate::event::{EventInfo, ZoneCode};
use crate::staff::Role;
use crate::store::Store;

pub mod ops;

/// How this station was started: a role opens that station's screen directly
/// (kiosk start-up).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StationConfig {
    pub role: Option<Role>,
    pub zone: Option<ZoneCode>,
    /// The role this station was paired with its hub as, if it was: its
    /// screens follow it (a gate offers only the gate, a desk only the
    /// desk, an admin station the console). None when standalone or the hub.
    #[serde(default)]
    pub paired_role: Option<Role>,
    /// The name the hub gave this station at pairing ("Porte Hall"), if
    /// paired with one.
    #[serde(default)]
    pub name: Option<String>,
    /// `gatehouse serve` over HTTPS (bound beyond loopback): the SHA-256
    /// fingerprint of its certificate, as `AB:CD:…`, for people to compare
    /// with what their browser shows. `None` over plain HTTP.
    #[serde(default)]
    pub tls_fingerprint: Option<String>,
    /// Active staff accounts that still sign in with a published demo PIN
    /// (1111, 2222, 3333): every screen says so while there are any.
    #[serde(default)]
    pub demo_pins: u32,
}

#[derive(Clone, Debug)]
pub struct Api {
    store: Store,
    station: StationConfig,
    sessions: std::sync::Arc<Sessions>,
    pins: std::sync::Arc<crate::pin_throttle::PinThrottle>,
    /// PIN checks running at once, all sources together (each hashes the
    /// PIN once per staff account).
    pin_checks: std::sync::Arc<tokio::sync::Semaphore>,
    imports: std::sync::Arc<crate::registry::import::ImportJobs>,
    /// A hub joined from the console, waiting for the shell to swap its
    /// database in ([`crate::sync::join_fresh`]), and the shell's wake-up.
    pending_join: std::sync::Arc<std::sync::Mutex<Option<crate::sync::join_fresh::Prepared>>>,
    reopen: std::sync::Arc<tokio::sync::Notify>,
    /// The active accounts' PIN hashes last checked for demo PINs, and how
    /// many were (Argon2 is slow: checked again only when they change).
    demo_pins: std::sync::Arc<tokio::sync::Mutex<Option<(String, u32)>>>,
    /// The automatic backups' passphrase, in memory only (issue 17).
    backups: std::sync::Arc<crate::backup_schedule::Schedule>,
}

/// Idle time after which a station locks and asks for a PIN again.
pub const DEFAULT_IDLE_TIMEOUT_S: u32 = 15 * 60;

impl Api {
    pub async fn open(db: &Path, station: StationConfig) -> Result<Api> {
        Ok(Api {
            store: Store::open(db).await?,
            station,
            sessions: std::sync::Arc::new(Sessions::new(DEFAULT_IDLE_TIMEOUT_S)),
            pins: std::sync::Arc::default(),
            pin_checks: std::sync::Arc::new(tokio::sync::Semaphore::new(
                crate::pin_throttle::IN_FLIGHT_TOTAL,
            )),
            imports: std::sync::Arc::default(),
            pending_join: std::sync::Arc::default(),
            reopen: std::sync::Arc::default(),
            demo_pins: std::sync::Arc::default(),
            backups: std::sync::Arc::default(),
        })
    }

    /// The accounts that sign in at this station, by name (a paired gate
    /// lists its gate officers and supervisors only): what the sign-in
    /// screen offers before the PIN.
    pub async fn sign_in_names(&self) -> Result<Vec<crate::auth::SignInName>> {
        let station = self.paired_role().await?;
        crate::auth::sign_in_names(self.store.read(), station).await
    }

    /// The role this station was paired as, if it was.
    async fn paired_role(&self) -> Result<Option<Role>> {
        Ok(crate::sync::client::link_status(&self.store)
            .await?
            .and_then(|link| Role::from_stored(&link.role)))
    }

    /// Signs staff member `staff_id` in with their personal PIN: one PIN
    /// check. `source` is who is trying (a client address, the window):
    /// wrong PINs are throttled per account and per source
    /// (`pin_throttle.rs`), counted before the PIN is compared.
    pub async fn sign_in(
        &self,
        staff_id: &str,
        pin: &str,
        source: &str,
        now: Timestamp,
    ) -> Result<SessionInfo> {
        use crate::pin_throttle::Outcome;
        let attempt = self.pins.reserve(source, staff_id, now)?;
        let station = match self.paired_role().await {
            Ok(s) => s,
            Err(e) => {
                attempt.settle(Outcome::Unchecked);
                return Err(e);
            }
        };
        let found = {
            let _turn = self.pin_turn().await?;
            crate::auth::staff_by_pin(self.store.read(), staff_id, pin, station).await
        };
        attempt.settle(match &found {
            Ok(_) => Outcome::Right,
            Err(e) if e.code() == crate::error::ErrorCode::Unauthenticated => Outcome::Wrong,
            Err(_) => Outcome::Unchecked,
        });
        let (caller, hash) = found?;
        if station.is_none() && crate::staff::hashed_below_cost(&hash) {
            self.rehash(staff_id, pin, &hash).await;
        }
        Ok(self.sessions.open(caller, station, now))
    }

    /// A PIN hashed at an older, lower cost is hashed again at the current
    /// one after a right sign-in, on a station that is neither paired nor
    /// a hub with paired stations (elsewhere the new hash would travel as
    /// an account edit and could undo a change made meanwhile on another
    /// admin station; there the next PIN change does it). Best effort: a
    /// failure leaves the old hash, which still verifies.
    async fn rehash(&self, staff_id: &str, pin: &str, old_hash: &str) {
        let outcome: Result<()> = async {
            let peers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_peer")
                .fetch_one(self.store.read())
                .await?;
            if peers > 0 {
                return Ok(());
            }
            let pin = crate::staff::Pin::parse(pin)?;
            let hash = tokio::task::spawn_blocking(move || pin.hash())
                .await
                .map_err(|e| crate::Error::Internal(format!("PIN hash: {e}")))??;
            let mut tx = self.store.write().await?;
            sqlx::query("UPDATE staff SET pin_hash = ? WHERE id = ? AND pin_hash = ?")
                .bind(hash)
                .bind(staff_id)
                .bind(old_hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        if let Err(e) = outcome {
            tracing::warn!("PIN of staff {staff_id} not hashed again at the current cost: {e}");
        }
    }

    /// A turn among the PIN checks running at once (waits for one).
    async fn pin_turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>> {
        self.pin_checks
            .acquire()
            .await
            .map_err(|e| crate::Error::Internal(format!("PIN checks stopped: {e}")))
    }

    pub fn sign_out(&self, token: &str) {
        self.sessions.close(token);
    }

    /// The caller behind a session token, checked against what the operation
    /// needs. Every shell but the local CLI goes through this.
    /// The signed-in caller of `token`, whatever their role (the routes
    /// check their permission themselves).
    pub fn session(&self, token: Option<&str>, now: Timestamp) -> Result<Caller> {
        self.sessions.check(token, now)
    }

    pub fn authorize(
        &self,
        token: Option<&str>,
        need: Permission,
        now: Timestamp,
    ) -> Result<Caller> {
        let (caller, station) = self.sessions.check_at(token, now)?;
        caller.require(need)?;
        if let Some(paired) = station.filter(|s| !crate::auth::station_allows(Some(*s), need)) {
            return Err(crate::messages::Msg::StationMayNot {
                station: crate::messages::RoleWord(paired),
            }
            .into());
        }
        Ok(caller)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn event(&self) -> Result<EventInfo> {
        crate::event_store::load(self.store.read()).await
    }

    pub fn station(&self) -> StationConfig {
        self.station.clone()
    }

    /// `serve` over HTTPS: the certificate fingerprint its screens show.
    pub fn with_tls_fingerprint(mut self, fingerprint: Option<String>) -> Api {
        self.station.tls_fingerprint = fingerprint;
        self
    }

    /// How this station was started, with the role it was paired as.
    pub async fn station_info(&self) -> Result<StationConfig> {
        let mut station = self.station.clone();
        let link = crate::sync::client::link_status(&self.store).await?;
        station.paired_role = link.as_ref().and_then(|link| Role::from_stored(&link.role));
        station.name = link.and_then(|link| link.name);
        station.demo_pins = self.demo_pins().await?;
        Ok(station)
    }

    /// How many active accounts still use a published demo PIN.
    pub async fn demo_pins(&self) -> Result<u32> {
        let hashes = crate::console::setup::maybe_demo_pin_hashes(self.store.read()).await?;
        let key = hashes.join("\n");
        let mut cached = self.demo_pins.lock().await;
        if let Some((k, n)) = cached.as_ref() {
            if *k == key {
                return Ok(*n);
            }
        }
        let n = crate::console::setup::demo_pins_among(hashes).await?;
        *cached = Some((key, n));
        Ok(n)
    }

    /// The session behind `token` again (a page reloaded).
    pub fn resume_session(&self, token: Option<&str>, now: Timestamp) -> Result<SessionInfo> {
        self.sessions.resume(token, now)
    }

    /// A fingerprint of what the screens are configured by (the event, the
    /// badge template and logo, the staff accounts): it changes whenever one
    /// of them does, here or through sync. Open screens watch it.
    pub async fn config_stamp(&self) -> Result<String> {
        use sha2::Digest as _;
        let event = crate::event_store::load(self.store.read()).await;
        let mut h = sha2::Sha256::new();
        match event {
            Ok(e) => h.update(serde_json::to_vec(&e).map_err(|e| Error::Internal(e.to_string()))?),
            Err(Error::NoEvent) => h.update(b"no event"),
            Err(e) => return Err(e),
        }
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT 'template', settings || updated_at FROM badge_template
             UNION ALL SELECT 'staff', id || role || active || name || pin_hash FROM staff
             ORDER BY 1, 2",
        )
        .fetch_all(self.store.read())
        .await?;
        for (kind, text) in rows {
            h.update(kind.as_bytes());
            h.update(text.as_bytes());
        }
        Ok(hex::encode(&h.finalize()[..12]))
    }

    /// The time this station decides on ([`crate::sync::time`]): the hub's
    /// clock as last read, run on; its own clock if it never read the hub's.
    /// Gate decisions and the records they make use it.
    pub async fn agreed_time(&self) -> Result<crate::sync::time::Agreed> {
        crate::sync::time::now(&self.store).await
    }

    /// The agreed time a gate decides on, or `time_unknown` when this
    /// station cannot know it (see [`crate::sync::time::agreed`]): scans,
    /// verifies and overrides call this.
    pub async fn decision_time(&self) -> Result<Timestamp> {
        self.agreed_time().await?.decide()
    }

    /// The time this station records a change at (audit entries, badge
    /// issues, edits): the agreed time, or its best guess while unknown.
    pub async fn now(&self) -> Result<Timestamp> {
        Ok(self.agreed_time().await?.timestamp())
    }

    /// This station's sync status: paired hub or standalone, last sync, error.
    pub async fn sync_status(&self, now: Timestamp) -> Result<crate::sync::visibility::SyncStatus> {
        crate::sync::visibility::status(&self.store, now).await
    }

    /// On the hub: the paired stations with their last contact and backlog.
    pub async fn sync_stations(&self, now: Timestamp) -> Result<Vec<crate::sync::hub::PeerInfo>> {
        crate::sync::hub::peers(&self.store, now).await
    }

    /// On the hub: a one-time pairing code (and its QR) granting `role`.
    pub async fn sync_pair(
        &self,
        req: &crate::sync::hub::PairingRequest,
        actor: &str,
        now: Timestamp,
    ) -> Result<crate::sync::hub::PairingCode> {
        let valid_for = match req.valid_for_min {
            Some(min) => jiff::SignedDuration::from_mins(i64::from(min)),
            None => crate::sync::hub::CODE_VALID_FOR,
        };
        if let Some(old) = &req.replaces {
            crate::sync::hub::check_replaceable(&self.store, old, req.role).await?;
        }
        // A site's hub is paired as an organiser station (`pair --role site`).
        let role = match req.site {
            Some(true) => crate::staff::Role::Admin,
            _ => req.role,
        };
        let code = crate::sync::hub::new_code(
            &self.store,
            role,
            req.name.as_deref(),
            valid_for,
            actor,
            now,
        )
        .await?;
        if let Some(old) = &req.replaces {
            crate::sync::hub::set_replaces(&self.store, &code.label, old).await?;
        }
        if req.site == Some(true) {
            crate::sync::hub::set_site(&self.store, &code.label).await?;
        }
        Ok(code)
    }

    /// On the hub: the pairing codes that still work.
    pub async fn sync_open_codes(&self, now: Timestamp) -> Result<Vec<crate::sync::hub::OpenCode>> {
        crate::sync::hub::open_codes(&self.store, now).await
    }

    /// On the hub: cancels an open pairing code by its label.
    pub async fn sync_cancel_code(&self, label: &str, actor: &str, now: Timestamp) -> Result<()> {
        crate::sync::hub::cancel_code(&self.store, label, actor, now).await
    }

    /// On the hub: un-pairs a station; its credential stops working. Says
    /// which keys it may have held and which badges were issued there.
    pub async fn sync_unpair(
        &self,
        station: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<crate::sync::hub::Unpaired> {
        crate::sync::hub::unpair(&self.store, station, actor, now).await
    }

    /// On the hub: the stations that overstepped their role and are not
    /// resolved yet (the console's security alert).
    pub async fn sync_alerts(&self) -> Result<Vec<crate::sync::hub::SecurityAlert>> {
        crate::sync::hub::open_alerts(&self.store).await
    }

    /// On the hub: the entries held aside for `station` (or every station).
    pub async fn sync_held(
        &self,
        station: Option<&str>,
    ) -> Result<Vec<crate::sync::store::HeldEntry>> {
        crate::sync::store::held(&self.store, station).await
    }

    /// On the hub: releases or discards a quarantined station's entries.
    pub async fn sync_resolve(
        &self,
        station: &str,
        resolution: crate::sync::store::Resolution,
        actor: &str,
        now: Timestamp,
    ) -> Result<crate::sync::store::Resolved> {
        crate::sync::hub::resolve(&self.store, station, resolution, actor, now).await
    }

    /// From the console of a standalone station: joins the hub named by
    /// `text` (the pairing QR's JSON, or the address and code) in a fresh
    /// database, then asks the shell to swap it in and reopen
    /// ([`Api::reopen_requested`]).
    pub async fn sync_join(
        &self,
        text: &str,
        now: Timestamp,
    ) -> Result<crate::sync::join_fresh::JoinOutcome> {
        use crate::sync::join_fresh;
        let text = join_fresh::PairingText::parse(text)?;
        let prepared = join_fresh::prepare(&self.store, &text, now).await?;
        let outcome = prepared.outcome.clone();
        *self
            .pending_join
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(prepared);
        self.reopen.notify_one();
        Ok(outcome)
    }

    /// Resolves once a hub was joined from the console: the shell then closes
    /// this `Api`'s store and calls [`Api::swap_in_join`].
    pub async fn reopen_requested(&self) {
        self.reopen.notified().await;
    }

    /// After the shell closed the store: puts the joined database in place
    /// of this one, which is kept beside it (its path is returned). `None`
    /// when no join is waiting.
    pub fn swap_in_join(&self, now: Timestamp) -> Result<Option<std::path::PathBuf>> {
        let pending = self
            .pending_join
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        pending
            .map(|prepared| crate::sync::join_fresh::swap(self.store.path(), &prepared, now))
            .transpose()
    }

    /// On the hub: which paired stations hold each revocation.
    pub async fn revocation_reach(&self) -> Result<Vec<crate::sync::visibility::RevocationReach>> {
        crate::sync::visibility::revocation_reach(&self.store).await
    }

    /// A new install opens on a live demo event: if the database holds no
    /// event yet, the demo event is created starting today. A station paired
    /// with a hub never gets the demo (it would sync it to the venue): it
    /// waits for the hub's event instead.
    pub async fn ensure_event(&self, now: Timestamp) -> Result<EventInfo> {
        match self.event().await {
            Err(crate::Error::NoEvent)
                if crate::sync::client::link_status(&self.store)
                    .await?
                    .is_some() =>
            {
                self.wait_for_hub_event().await
            }
            Err(crate::Error::NoEvent) => {
                crate::demo::install(&self.store, crate::demo::today_at_venue(now)?, now).await?;
                crate::registry::demo::install(
                    &self.store,
                    crate::registry::demo::DEFAULT_COUNT,
                    crate::registry::demo::DEFAULT_SEED,
                    now,
                )
                .await?;
                self.event().await
            }
            other => other,
        }
    }

    /// Whether this station offers the first-start choice (empty: no event,
    /// no staff, no hub), see [`crate::first_start`].
    pub async fn first_start(&self) -> Result<crate::first_start::FirstStart> {
        crate::first_start::state(&self.store).await
    }

    /// First start, "try the demo": the demo event from today.
    pub async fn first_start_demo(&self, now: Timestamp) -> Result<EventInfo> {
        crate::first_start::demo(&self.store, now).await
    }

    /// First start, "create an event": the event and its first organiser.
    pub async fn first_start_create(
        &self,
        req: &crate::first_start::NewEvent,
        now: Timestamp,
    ) -> Result<EventInfo> {
        crate::first_start::create(&self.store, req, now).await
    }

    /// First start, "join a hub": as the console's join, without a session,
    /// only while the station is empty.
    pub async fn first_start_join(
        &self,
        text: &str,
        now: Timestamp,
    ) -> Result<crate::sync::join_fresh::JoinOutcome> {
        crate::first_start::ensure_empty(&self.store).await?;
        self.sync_join(text, now).await
    }

    /// On a station paired but not yet synced: the event once the first
    /// round brought it (the background sync must be running). Says once on
    /// stderr what it waits for, since the hub may be unreachable for a while.
    pub async fn wait_for_hub_event(&self) -> Result<EventInfo> {
        let mut said = false;
        loop {
            match self.event().await {
                Err(crate::Error::NoEvent) => {
                    if !said {
                        let hub = crate::sync::client::link_status(&self.store)
                            .await?
                            .map(|l| l.url)
                            .unwrap_or_default();
                        eprintln!("gatehouse: waiting for the event from the hub {hub}");
                        said = true;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                }
                other => return other,
            }
        }
    }
}

/// Badges and gates: tokens, keys, verdicts and the scan log.
impl Api {
    /// The event's public keys with their kids, newest first. An event
    /// without any key gets its first one here (as on its first badge).
    pub async fn keys(&self, now: Timestamp, actor: &str) -> Result<Vec<crate::keys::KeyInfo>> {
        let keys = crate::keys::list(&self.store).await?;
        if !keys.is_empty() {
            return Ok(keys);
        }
        self.event().await?;
        let mut tx = self.store.write().await?;
        crate::keys::signing_key(&mut tx, self.store.path(), now, actor).await?;
        tx.commit().await?;
        crate::keys::list(&self.store).await
    }

    /// Signing keys are made and retired on admin stations only (or a
    /// standalone one): every other station would refuse a key from a desk
    /// or a gate, so its badges would be refused everywhere.
    async fn require_key_authority(&self) -> Result<()> {
        match crate::sync::client::link_status(&self.store).await? {
            Some(link) if link.role != "admin" => Err(crate::messages::Msg::KeysOnAdminStation {
                role: crate::messages::RoleWord(
                    crate::staff::Role::from_stored(&link.role).unwrap_or(crate::staff::Role::Gate),
                ),
            }
            .into()),
            _ => Ok(()),
        }
    }

    pub async fn rotate_key(&self, now: Timestamp, actor: &str) -> Result<crate::keys::KeyInfo> {
        self.require_key_authority().await?;
        let kid = crate::keys::rotate(&self.store, now, actor).await?.hex();
        crate::keys::list(&self.store)
            .await?
            .into_iter()
            .find(|k| k.kid == kid)
            .ok_or_else(|| crate::Error::Internal(format!("key {kid} vanished")))
    }

    pub async fn retire_key(
        &self,
        kid: &crate::token::Kid,
        now: Timestamp,
        actor: &str,
    ) -> Result<()> {
        self.require_key_authority().await?;
        crate::keys::retire(&self.store, kid, now, actor).await
    }

    /// The QR text of the badge's current version.
    pub async fn token(
        &self,
        serial: &crate::serial::BadgeSerial,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::badge_issue::IssuedToken> {
        crate::badge_issue::token(&self.store, serial, now, actor).await
    }

    pub async fn reprint(
        &self,
        serial: &crate::serial::BadgeSerial,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::badge_issue::IssuedToken> {
        crate::badge_issue::reprint(&self.store, serial, now, actor).await
    }

    pub async fn revoke(
        &self,
        serial: &crate::serial::BadgeSerial,
        reason: &str,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::badge_issue::Revocation> {
        let r = crate::badge_issue::revoke(&self.store, serial, reason, now, actor).await?;
        crate::sync::client::nudge(&self.store);
        Ok(r)
    }

    /// The gate decision, not recorded.
    pub async fn verify(
        &self,
        token: &str,
        zone: &ZoneCode,
        direction: crate::gate::Direction,
        now: Timestamp,
    ) -> Result<crate::gate::Verdict> {
        let verdict = async {
            // No verdict a scan could not record (a full disk says so instead).
            self.store.can_record().await?;
            let event = self.event().await?;
            crate::scan_log::verify(&self.store, &event, token, zone, direction, now).await
        }
        .await;
        match verdict {
            Ok(v) => crate::gate_station::explain(&self.store, v).await,
            Err(e) => Err(crate::sync::recover::explain(e, self.store.path()).await),
        }
    }

    /// The gate decision, recorded durably before it is returned.
    pub async fn scan(
        &self,
        token: &str,
        zone: &ZoneCode,
        direction: crate::gate::Direction,
        now: Timestamp,
        station: Option<&str>,
        operator: &str,
    ) -> Result<crate::scan_log::ScanOutcome> {
        let event = self.event().await?;
        let recorded = crate::scan_log::scan(
            &self.store,
            &event,
            token,
            zone,
            direction,
            now,
            station,
            operator,
        )
        .await;
        // A full disk or a damaged database at a paired station says what
        // it has not sent.
        let mut outcome = match recorded {
            Ok(o) => o,
            Err(e) => return Err(crate::sync::recover::explain(e, self.store.path()).await),
        };
        // Other gates learn of it now (anti-passback across gates).
        crate::sync::client::nudge(&self.store);
        outcome.verdict = crate::gate_station::explain(&self.store, outcome.verdict).await?;
        Ok(outcome)
    }

    /// The gate screen's header and counters for `zone`, from the scan log.
    pub async fn gate_status(
        &self,
        zone: &ZoneCode,
        now: Timestamp,
    ) -> Result<crate::gate_station::GateStatus> {
        let event = self.event().await?;
        let mut status = crate::gate_station::status(&self.store, &event, zone, now).await?;
        status.time_unknown = self
            .agreed_time()
            .await?
            .unknown
            .and_then(|ms| Timestamp::from_millisecond(ms).ok())
            .map(|t| t.to_string());
        Ok(status)
    }

    /// The holder's stored photo with its short hash (to compare with a verdict's `photo`).
    pub async fn holder_photo(
        &self,
        serial: &crate::serial::BadgeSerial,
    ) -> Result<crate::gate_station::HolderPhoto> {
        crate::gate_station::holder_photo(&self.store, serial).await
    }

    /// Who holds a badge, as a gate may see them (no contact details, no document).
    pub async fn holder(
        &self,
        serial: &crate::serial::BadgeSerial,
    ) -> Result<crate::gate_station::Holder> {
        crate::gate_station::holder(&self.store, serial).await
    }

    /// A supervisor lets a denied holder through: a new scan record and an audit entry.
    pub async fn override_denial(
        &self,
        req: &crate::gate_station::OverrideRequest,
        officer: &Caller,
        now: Timestamp,
    ) -> Result<crate::gate_station::OverrideOutcome> {
        use crate::pin_throttle::Outcome;
        let event = self.event().await?;
        // Supervisor PINs typed at a gate are throttled like sign-in PINs,
        // per supervisor account and per signed-in officer, counted before
        // they are compared.
        let source = format!("override:{}", officer.actor());
        let attempt = self.pins.reserve(&source, &req.supervisor, now)?;
        // The denied scan first: what it answers must not depend on the PIN.
        let denied = match crate::gate_station::denied_scan(&self.store, req).await {
            Ok(d) => d,
            Err(e) => {
                attempt.settle(Outcome::Unchecked);
                return Err(e);
            }
        };
        let station = match self.paired_role().await {
            Ok(s) => s,
            Err(e) => {
                attempt.settle(Outcome::Unchecked);
                return Err(e);
            }
        };
        let supervisor = {
            let _turn = self.pin_turn().await?;
            crate::gate_station::supervisor(&self.store, &req.supervisor, &req.pin, station).await
        };
        let supervisor = match supervisor {
            Ok(s) => {
                attempt.settle(Outcome::Right);
                s
            }
            Err(e) => {
                let wrong = crate::gate_station::is_wrong_supervisor_pin(&e);
                attempt.settle(if wrong {
                    Outcome::Wrong
                } else {
                    Outcome::Unchecked
                });
                return Err(e);
            }
        };
        crate::gate_station::override_denial(
            &self.store,
            &event,
            req,
            &denied,
            officer,
            &supervisor,
            now,
        )
        .await
    }

    pub async fn scans(
        &self,
        zone: Option<&ZoneCode>,
        serial: Option<&crate::serial::BadgeSerial>,
    ) -> Result<Vec<crate::scan_log::Scan>> {
        crate::scan_log::list(&self.store, zone, serial).await
    }
}

/// The attendee registry: search, read, register, edit, photos.
impl Api {
    pub async fn search(&self, query: &str, limit: u32) -> Result<Vec<crate::registry::SearchHit>> {
        crate::registry::search(self.store.read(), query, limit).await
    }

    /// One attendee's whole record, for `actor` (a desk, the console, the
    /// CLI): reading a document number is audited.
    pub async fn attendee(
        &self,
        serial: &crate::serial::BadgeSerial,
        actor: &str,
        now: Timestamp,
    ) -> Result<crate::registry::Attendee> {
        crate::registry::privacy::read(&self.store, serial, actor, now).await
    }

    /// An identity document's MRZ typed by the desk's reader: its fields and
    /// problems (checked on the venue's date at `now`), and the records it
    /// may be ("collect my badge": by document number, else by name).
    pub async fn read_document(
        &self,
        text: &str,
        now: Timestamp,
    ) -> Result<crate::desk::DocumentRead> {
        let event = self.event().await?;
        let today = crate::console::venue_day(now, &crate::console::venue_tz(&event)?);
        crate::desk::read_document(self.store.read(), text, today).await
    }

    /// The stored JPEG, or `NotFound` when the attendee has no photo.
    pub async fn attendee_photo(&self, serial: &crate::serial::BadgeSerial) -> Result<Vec<u8>> {
        crate::registry::photo(self.store.read(), serial)
            .await?
            .ok_or_else(|| {
                crate::messages::Msg::NoPhoto {
                    serial: serial.to_string(),
                }
                .into()
            })
    }

    pub async fn create_attendee(
        &self,
        new: crate::registry::NewAttendee,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::registry::Attendee> {
        crate::registry::create(&self.store, new, actor, now).await
    }

    pub async fn update_attendee(
        &self,
        serial: &crate::serial::BadgeSerial,
        fields: crate::registry::NewAttendee,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::registry::Attendee> {
        crate::registry::update(&self.store, serial, fields, actor, now).await
    }

    /// Stores a photo (JPEG or PNG, any size up to 20 MB), normalised.
    pub async fn set_photo(
        &self,
        serial: &crate::serial::BadgeSerial,
        bytes: &[u8],
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::registry::Attendee> {
        crate::registry::set_photo(&self.store, serial, bytes, actor, now).await
    }
}

/// The registration desk: badge preview, print and reprint, printers, delegations.
impl Api {
    /// A PNG of the badge's current version, for the desk screen.
    pub async fn badge_preview(
        &self,
        serial: &crate::serial::BadgeSerial,
        format: crate::badge::Format,
        now: Timestamp,
        actor: &str,
    ) -> Result<Vec<u8>> {
        crate::desk::preview(&self.store, serial, format, now, actor).await
    }

    /// Prints one badge silently (a reprint first issues a new version).
    pub async fn print_badge(
        &self,
        serial: &crate::serial::BadgeSerial,
        req: &crate::desk::PrintRequest,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::desk::PrintOutcome> {
        crate::desk::print(&self.store, serial, req, now, actor).await
    }

    /// One badge as a PDF for a station without a printer, recorded in the
    /// print log like a CUPS print.
    pub async fn badge_pdf(
        &self,
        serial: &crate::serial::BadgeSerial,
        req: &crate::desk::PdfRequest,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::desk::PdfBadge> {
        crate::desk::pdf(&self.store, serial, req, now, actor).await
    }

    /// Several badges as one PDF for a station without a printer (the
    /// desk's batch print), each recorded in the print log.
    pub async fn badges_pdf(
        &self,
        req: &crate::desk::BatchPdfRequest,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::desk::PdfBatch> {
        crate::desk::pdf_batch(&self.store, req, now, actor).await
    }

    /// Renders the badges of a selection into one PDF (issuing version 1 of
    /// any badge never issued): `gatehouse badges` and `print`.
    pub async fn render_badges(
        &self,
        selection: &crate::badge::batch::Selection,
        format: crate::badge::Format,
        sheet: crate::badge::Sheet,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::badge::batch::Rendered> {
        crate::badge::batch::render(&self.store, selection, format, sheet, now, actor).await
    }

    /// Where a print job is now, the printer's trouble in plain words; an
    /// ended job's outcome goes into the print log.
    pub async fn print_job(
        &self,
        job: &str,
        lang: crate::lang::Lang,
    ) -> Result<crate::print::JobProgress> {
        crate::print::poll(&self.store, job, lang).await
    }

    /// The event's badge template as the console edits it.
    pub async fn badge_template(&self) -> Result<crate::badge::template::TemplateSettings> {
        crate::badge::template_store::settings(self.store.read()).await
    }

    /// Replaces the event's badge template (audited); the next badge uses it.
    pub async fn set_badge_template(
        &self,
        settings: &crate::badge::template::TemplateSettings,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::badge::template::TemplateSettings> {
        crate::badge::template_store::save(&self.store, settings, actor, now).await
    }

    /// A sample badge drawn with `settings`, saved or not, as a PNG.
    pub async fn badge_template_preview(
        &self,
        settings: crate::badge::template::TemplateSettings,
        format: crate::badge::Format,
    ) -> Result<Vec<u8>> {
        // The event's own name, days and category colours, when there is an event.
        let event = match crate::event_store::load(self.store.read()).await {
            Ok(e) => Some(e),
            Err(Error::NoEvent) => None,
            Err(e) => return Err(e),
        };
        tokio::task::spawn_blocking(move || {
            let template = crate::badge::Template::from_settings(&settings)?;
            match &event {
                Some(event) => crate::badge::sample::event_preview(&template, format, event),
                None => crate::badge::sample::template_preview(&template, format),
            }
        })
        .await
        .map_err(|e| crate::Error::Internal(format!("template preview: {e}")))?
    }

    pub async fn printers(&self) -> Result<Vec<crate::desk::PrinterInfo>> {
        crate::desk::printers().await
    }
}

/// The organiser console: roll-call, dashboard, audit log, revocations
/// (`crate::console`). Callers check `Permission::ManageEvent` first.
impl Api {
    /// Who is inside `zone` now, from the scan log.
    pub async fn rollcall(
        &self,
        zone: &ZoneCode,
        now: Timestamp,
    ) -> Result<crate::console::rollcall::Rollcall> {
        let event = self.event().await?;
        crate::console::rollcall::rollcall(self.store.read(), &event, zone, now).await
    }

    /// The roll-call as a CSV or PDF file (rendered off the async threads).
    pub async fn rollcall_file(
        &self,
        zone: &ZoneCode,
        format: crate::console::rollcall::RollcallFormat,
        lang: crate::lang::Lang,
        now: Timestamp,
    ) -> Result<crate::console::ExportFile> {
        let event = self.event().await?;
        let r = crate::console::rollcall::rollcall(self.store.read(), &event, zone, now).await?;
        tokio::task::spawn_blocking(move || {
            crate::console::rollcall::export(&r, &event, format, lang)
        })
        .await
        .map_err(|e| crate::Error::Internal(format!("roll-call file: {e}")))?
    }

    /// The attendance and print reports now.
    pub async fn reports(&self, now: Timestamp) -> Result<crate::console::reports::Reports> {
        let event = self.event().await?;
        crate::console::reports::reports(self.store.read(), &event, now).await
    }

    /// One report as a CSV, XLSX or PDF file (rendered off the async threads).
    pub async fn report_file(
        &self,
        kind: crate::console::reports::ReportKind,
        format: crate::console::reports::ReportFormat,
        lang: crate::lang::Lang,
        now: Timestamp,
    ) -> Result<crate::console::ExportFile> {
        let event = self.event().await?;
        let r = crate::console::reports::reports(self.store.read(), &event, now).await?;
        tokio::task::spawn_blocking(move || {
            crate::console::reports::export(&r, kind, &event, format, lang)
        })
        .await
        .map_err(|e| crate::Error::Internal(format!("report file: {e}")))?
    }

    /// The dashboard now, for today at the venue.
    pub async fn dashboard(&self, now: Timestamp) -> Result<crate::console::dashboard::Dashboard> {
        self.dashboard_on(now, None).await
    }

    /// The dashboard now; its day's figures for `day` (by default today at the venue).
    pub async fn dashboard_on(
        &self,
        now: Timestamp,
        day: Option<jiff::civil::Date>,
    ) -> Result<crate::console::dashboard::Dashboard> {
        let event = self.event().await?;
        crate::console::dashboard::dashboard(self.store.read(), &event, now, day).await
    }

    pub async fn audit_entries(
        &self,
        filter: &crate::console::audit_log::AuditFilter,
    ) -> Result<crate::console::audit_log::AuditPage> {
        crate::console::audit_log::entries(self.store.read(), filter).await
    }

    pub async fn audit_verify(&self) -> Result<crate::console::audit_log::AuditVerification> {
        crate::console::audit_log::verify(self.store.read()).await
    }

    pub async fn revocations(&self) -> Result<Vec<crate::console::revocations::RevocationRow>> {
        crate::console::revocations::list(self.store.read()).await
    }
}

/// Event setup from the console (`crate::console::setup`): every change audited.
impl Api {
    pub async fn save_event(
        &self,
        event: EventInfo,
        now: Timestamp,
        actor: &str,
    ) -> Result<EventInfo> {
        crate::console::setup::save_event(&self.store, event, now, actor).await
    }

    /// Saves the event as a screen edited it, refused when the stored event
    /// is no longer the one the screen loaded (`Error::Stale`).
    pub async fn save_event_based_on(
        &self,
        save: crate::console::setup::EventSave,
        now: Timestamp,
        actor: &str,
    ) -> Result<EventInfo> {
        crate::console::setup::save_event_based_on(&self.store, save, now, actor).await
    }

    /// How many printed badges saving `event` would leave with their old
    /// access (nothing is written).
    pub async fn event_access_impact(
        &self,
        event: EventInfo,
        now: Timestamp,
    ) -> Result<crate::badge_issue::AccessImpact> {
        crate::console::setup::access_impact(&self.store, event, now).await
    }

    pub async fn staff(&self) -> Result<Vec<crate::console::setup::StaffMember>> {
        crate::console::setup::staff(self.store.read()).await
    }

    pub async fn create_staff(
        &self,
        change: crate::console::setup::StaffChange,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::console::setup::StaffMember> {
        crate::console::setup::create_staff(&self.store, change, now, actor).await
    }

    pub async fn update_staff(
        &self,
        id: &str,
        change: crate::console::setup::StaffChange,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::console::setup::StaffMember> {
        crate::console::setup::update_staff(&self.store, id, change, now, actor).await
    }
}

/// Conflicts for review (`crate::console::conflicts`).
impl Api {
    pub async fn conflict_rows(&self) -> Result<Vec<crate::console::conflicts::ConflictRow>> {
        crate::console::conflicts::list(&self.store).await
    }

    pub async fn annotate_conflict(
        &self,
        scans: &[String],
        text: &str,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::console::conflicts::ConflictNote> {
        crate::console::conflicts::annotate(&self.store, scans, text, now, actor).await
    }
}

/// The console's import screen and personal data (`crate::registry::import`,
/// `crate::console::privacy`). Callers check `Permission::ManageEvent` first.
impl Api {
    /// The file's columns, the mapping (detected when `None`) and its dry run.
    pub async fn import_preview(
        &self,
        bytes: &[u8],
        file_name: &str,
        mapping: Option<crate::registry::import::Mapping>,
    ) -> Result<crate::registry::import::ImportPreview> {
        crate::registry::import::preview(&self.store, bytes, file_name, mapping).await
    }

    /// Starts an import in the background; poll [`Api::import_progress`].
    pub fn start_import(
        &self,
        bytes: Vec<u8>,
        file_name: String,
        mapping: Option<crate::registry::import::Mapping>,
        options: crate::registry::import::ImportOptions,
        now: Timestamp,
        actor: &str,
    ) -> crate::registry::import::ImportProgress {
        self.imports.start(
            self.store.clone(),
            bytes,
            file_name,
            mapping,
            options,
            actor.to_string(),
            now,
        )
    }

    pub fn import_progress(&self, id: &str) -> Result<crate::registry::import::ImportProgress> {
        self.imports.progress(id)
    }

    /// Everything held on one attendee, as a JSON file.
    /// Audited: it holds the document number.
    pub async fn export_person(
        &self,
        serial: &crate::serial::BadgeSerial,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::console::ExportFile> {
        crate::registry::privacy::export_person_file(&self.store, serial, now, actor).await
    }

    /// Erases one attendee's personal data, keeping an anonymised tombstone.
    pub async fn erase_person(
        &self,
        serial: &crate::serial::BadgeSerial,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::registry::privacy::Erasure> {
        crate::registry::privacy::erase(&self.store, serial, now, actor).await
    }

    /// Erases every attendee; `confirm` must be the event's name.
    pub async fn purge_people(
        &self,
        confirm: &str,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::registry::privacy::Purge> {
        crate::registry::privacy::purge(&self.store, confirm, now, actor).await
    }

    /// The vetting queue (issue 16).
    pub async fn vetting_queue(
        &self,
        filter: &crate::vetting_store::QueueFilter,
    ) -> Result<Vec<crate::vetting_store::QueueRow>> {
        crate::vetting_store::queue(self.store.read(), filter).await
    }

    /// Vetting decisions, all or none; each audited, a refusal revokes.
    /// They leave for the hub at once, like a revocation.
    pub async fn vetting_decide(
        &self,
        reqs: &[crate::vetting_store::DecisionRequest],
        now: Timestamp,
        actor: &str,
    ) -> Result<Vec<crate::vetting::Decision>> {
        let done = crate::vetting_store::decide(&self.store, reqs, now, actor)
            .await
            .map_err(|(_, e)| e)?;
        crate::sync::client::nudge(&self.store);
        Ok(done)
    }

    /// Those awaiting vetting as one zip (XLSX and photos); audited.
    pub async fn vetting_export(
        &self,
        lang: crate::lang::Lang,
        now: Timestamp,
        actor: &str,
    ) -> Result<(Vec<u8>, usize)> {
        crate::vetting_store::export_zip(&self.store, lang, now, actor).await
    }

    /// The services' answer recorded, all or none (the refused lines, else
    /// the decisions); they leave for the hub at once.
    pub async fn vetting_import(
        &self,
        bytes: &[u8],
        file_name: &str,
        now: Timestamp,
        actor: &str,
    ) -> Result<
        std::result::Result<Vec<crate::vetting::Decision>, Vec<crate::vetting_store::LineError>>,
    > {
        let done =
            crate::vetting_store::import_answers(&self.store, bytes, file_name, now, actor).await?;
        if done.is_ok() {
            crate::sync::client::nudge(&self.store);
        }
        Ok(done)
    }

    /// A person's document number, revealed on the vetting screen (audited).
    pub async fn vetting_reveal_document(
        &self,
        serial: &crate::serial::BadgeSerial,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::vetting_store::DocumentReveal> {
        crate::vetting_store::reveal_document(&self.store, serial, now, actor).await
    }

    /// One person's vetting as a desk shows it.
    pub async fn accreditation(
        &self,
        serial: &crate::serial::BadgeSerial,
    ) -> Result<crate::vetting_store::AccreditationView> {
        crate::vetting_store::accreditation(&self.store, serial).await
    }

    /// The watchlist section of the console: the list's size and the
    /// attendees with hits, each explained (organiser stations only).
    pub async fn watchlist(&self) -> Result<crate::registry::screening::WatchlistView> {
        crate::registry::screening::view(&self.store).await
    }

    /// Replaces the watchlist with a CSV or XLSX file and screens the
    /// registry again (all or nothing).
    pub async fn import_watchlist(
        &self,
        bytes: &[u8],
        name: &str,
        now: Timestamp,
        actor: &str,
    ) -> Result<crate::registry::screening::WatchlistImported> {
        Ok(
            crate::registry::screening::import(&self.store, bytes, name, actor, now)
                .await?
                .into(),
        )
    }
}

/// Kiosk stations (`gatehouse-app --kiosk`): leaving one asks for a PIN.
impl Api {
    /// Checks the PIN of an admin or supervisor who lets a kiosk station be
    /// closed or left (`action`: `close`, `leave`), counted and throttled as
    /// sign-in PINs are (per account and per `source`), and audited. Any
    /// failure (wrong PIN, another role) answers the same and counts.
    pub async fn kiosk_unlock(
        &self,
        staff_id: &str,
        pin: &str,
        action: &str,
        source: &str,
        now: Timestamp,
    ) -> Result<Caller> {
        use crate::pin_throttle::Outcome;
        let attempt = self
            .pins
            .reserve(&format!("kiosk:{source}"), staff_id, now)?;
        let station = match self.paired_role().await {
            Ok(s) => s,
            Err(e) => {
                attempt.settle(Outcome::Unchecked);
                return Err(e);
            }
        };
        let found = {
            let _turn = self.pin_turn().await?;
            crate::auth::staff_by_pin(self.store.read(), staff_id, pin, station).await
        };
        let caller = match found {
            Ok((
                c @ Caller::Staff {
                    role: Role::Admin | Role::Supervisor,
                    ..
                },
                _,
            )) => {
                attempt.settle(Outcome::Right);
                c
            }
            Ok(_) => {
                attempt.settle(Outcome::Wrong);
                return Err(crate::messages::Msg::KioskPinRefused {}.into());
            }
            Err(e) if e.code() == crate::error::ErrorCode::Unauthenticated => {
                attempt.settle(Outcome::Wrong);
                return Err(crate::messages::Msg::KioskPinRefused {}.into());
            }
            Err(e) => {
                attempt.settle(Outcome::Unchecked);
                return Err(e);
            }
        };
        let mut tx = self.store.write().await?;
        crate::audit::append(
            &mut tx,
            now,
            &caller.actor(),
            "kiosk.unlock",
            &serde_json::json!({ "action": action }),
        )
        .await?;
        tx.commit().await?;
        Ok(caller)
    }
}

/// The console's backups (the same as `gatehouse backup --into DIR --keep K`).
impl Api {
    /// A backup of this station now into `folder` (a USB stick), encrypted
    /// under `passphrase` (12 characters or more), keeping this station's
    /// last `keep` backups there.
    pub async fn backup_now(
        &self,
        folder: &str,
        passphrase: &str,
        keep: u32,
        now: Timestamp,
    ) -> Result<crate::backup::BackupSummary> {
        let passphrase = crate::backup::Passphrase::for_backup(passphrase)?;
        let rotation = crate::backup::Rotation {
            folder: std::path::PathBuf::from(folder.trim()),
            keep: keep.max(1) as usize,
        };
        let (made, _) =
            crate::backup::backup_rotating(&self.store, &rotation, &passphrase, now).await?;
        Ok(made)
    }
}

/// The console's automatic backups and kiosk mode per station (issue 17).
impl Api {
    /// Starts the automatic backups beside the store (`serve` and the
    /// window; stopped by [`Store::close`]): `report` is told of each.
    pub fn start_backup_schedule(
        &self,
        report: impl Fn(&crate::backup_schedule::Outcome) + Send + 'static,
    ) {
        self.store.spawn(crate::backup_schedule::run(
            self.store.clone(),
            self.backups.clone(),
            report,
        ));
    }

    /// The automatic backups' passphrase slot (in memory).
    pub fn backups(&self) -> &crate::backup_schedule::Schedule {
        &self.backups
    }

    pub async fn backup_schedule(
        &self,
        now: Timestamp,
    ) -> Result<crate::backup_schedule::ScheduleState> {
        crate::backup_schedule::state(&self.store, &self.backups, now).await
    }

    /// Switches automatic backups on (or changes them).
    pub async fn backup_schedule_set(
        &self,
        setting: &crate::backup_schedule::Setting,
        actor: &str,
        now: Timestamp,
    ) -> Result<crate::backup_schedule::ScheduleState> {
        crate::backup_schedule::set(&self.store, &self.backups, setting, actor, now).await
    }

    /// The passphrase again after a restart.
    pub async fn backup_schedule_resume(
        &self,
        passphrase: &str,
        now: Timestamp,
    ) -> Result<crate::backup_schedule::ScheduleState> {
        crate::backup_schedule::resume(&self.store, &self.backups, passphrase, now).await
    }

    pub async fn backup_schedule_off(
        &self,
        actor: &str,
        now: Timestamp,
    ) -> Result<crate::backup_schedule::ScheduleState> {
        crate::backup_schedule::off(&self.store, &self.backups, actor, now).await
    }

    /// One step of the automatic backups at `now` (tests; [`run`] loops it).
    ///
    /// [`run`]: crate::backup_schedule::run
    pub async fn backup_schedule_tick(
        &self,
        now: Timestamp,
    ) -> Result<Option<crate::backup_schedule::Outcome>> {
        crate::backup_schedule::tick(&self.store, &self.backups, now).await
    }

    /// On the hub: kiosk mode on or off for a paired station.
    pub async fn set_station_kiosk(
        &self,
        station: &str,
        kiosk: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<()> {
        crate::station_kiosk::set(&self.store, station, kiosk, actor, now).await
    }

    /// Whether this station's window is a kiosk (the console's wish for it,
    /// else its own `--kiosk`).
    pub async fn kiosk_wanted(&self, flag: bool) -> Result<bool> {
        Ok(crate::station_kiosk::wanted(
            crate::station_kiosk::asked_here(&self.store).await?,
            flag,
        ))
    }

    /// What the organiser's console asked of this station, if anything.
    pub async fn kiosk_asked(&self) -> Result<Option<bool>> {
        crate::station_kiosk::asked_here(&self.store).await
    }

    /// The window says it is (or is not) in kiosk mode.
    pub async fn kiosk_applied(&self, kiosk: bool, now: Timestamp) -> Result<()> {
        crate::station_kiosk::record_applied(&self.store, kiosk, now).await
    }
}
