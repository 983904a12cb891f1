//! The station's scan log: every scan, decided and recorded durably in one
//! write transaction before its verdict is returned.
//!
//! Records are immutable (triggers refuse updates and deletes). A badge is
//! inside a zone when its latest admitted (or warned) scan there was an
//! entry. That presence, each zone's occupancy and the gate screen's
//! counters are kept beside the log by triggers on `scan` inserts
//! (migrations/0016_scan_state.sql), in the inserting transaction, whoever
//! inserts (a gate, an override, sync): a decision reads O(1) rows whatever
//! the size of the log. They are a function of the log alone and can be
//! derived from it again ([`derived_state`]; the tests compare it with
//! [`kept_state`]).

use std::collections::BTreeMap;

use jiff::Timestamp;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::error::{Error, Result};
use crate::event::{EventInfo, ZoneCode};
use crate::gate::{self, Direction, GateConfig, Knowledge, Verdict};
use crate::serial::BadgeSerial;
use crate::store::Store;
use crate::token;
use crate::token::Kid;
use ed25519_dalek::VerifyingKey;

pub use crate::scan::{format_at, Scan, ScanOutcome};

/// This station's id, made on first use.
pub async fn station_id(conn: &mut SqliteConnection) -> Result<String> {
    if let Some(id) = sqlx::query_scalar("SELECT uuid FROM station WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO station (id, uuid, last_seq) VALUES (1, ?, 0)")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Whether `serial` is inside `zone`, by its latest admitted scan there.
pub async fn is_inside(
    conn: &mut SqliteConnection,
    zone: &ZoneCode,
    serial: &BadgeSerial,
) -> Result<bool> {
    let last: Option<String> =
        sqlx::query_scalar("SELECT direction FROM presence WHERE zone = ? AND serial = ?")
            .bind(zone.as_str())
            .bind(serial.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(last.as_deref() == Some("in"))
}

/// Who is inside `zone` now: badges whose latest admitted scan there is an entry.
pub async fn inside(conn: &mut SqliteConnection, zone: &ZoneCode) -> Result<Vec<BadgeSerial>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT serial FROM presence WHERE zone = ? AND direction = 'in' ORDER BY serial",
    )
    .bind(zone.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(BadgeSerial::try_from).collect()
}

/// How many badges are inside `zone`: one row, kept by the scan triggers.
pub async fn occupancy(conn: &mut SqliteConnection, zone: &ZoneCode) -> Result<u32> {
    let n: Option<i64> = sqlx::query_scalar("SELECT inside FROM zone_occupancy WHERE zone = ?")
        .bind(zone.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    u32::try_from(n.unwrap_or(0)).map_err(|e| Error::Internal(e.to_string()))
}

/// The state kept beside the scan log: presence (zone, serial) → (direction,
/// at, station, seq of the latest admitted scan), occupancy per zone (zones
/// nobody is inside left out) and the admitted/denied tally per zone and
/// quarter hour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanState {
    pub presence: BTreeMap<(String, String), (String, String, String, i64)>,
    pub occupancy: BTreeMap<String, i64>,
    pub tally: BTreeMap<(String, String), (i64, i64)>,
}

/// The SQL for a scan's quarter hour (`at` is fixed-width UTC text), as the
/// triggers compute it.
const QUARTER: &str = "substr(at, 1, 14) || CASE WHEN substr(at, 15, 2) < '15' THEN '00'
     WHEN substr(at, 15, 2) < '30' THEN '15' WHEN substr(at, 15, 2) < '45' THEN '30' ELSE '45' END";

/// The quarter hour `at` (scan-log text) falls in, as `scan_tally` keys it,
/// and whether `at` is that quarter's very start.
pub fn quarter(at: &str) -> (String, bool) {
    let head = at.get(..14).unwrap_or(at);
    let minute = at.get(14..16).unwrap_or("00");
    let q = match minute {
        m if m < "15" => "00",
        m if m < "30" => "15",
        m if m < "45" => "30",
        _ => "45",
    };
    let start = minute == q
        && at
            .get(16..)
            .is_none_or(|rest| rest.trim_start_matches([':', '.', '0']) == "Z");
    (format!("{head}{q}"), start)
}

async fn read_state(
    conn: &mut SqliteConnection,
    presence_sql: &str,
    tally_sql: &str,
) -> Result<ScanState> {
    let mut state = ScanState::default();
    for r in sqlx::query(presence_sql).fetch_all(&mut *conn).await? {
        let (zone, serial, direction): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        if direction == "in" {
            *state.occupancy.entry(zone.clone()).or_default() += 1;
        }
        state
            .presence
            .insert((zone, serial), (direction, r.get(3), r.get(4), r.get(5)));
    }
    for r in sqlx::query(tally_sql).fetch_all(&mut *conn).await? {
        state
            .tally
            .insert((r.get(0), r.get(1)), (r.get(2), r.get(3)));
    }
    Ok(state)
}

/// The state as the triggers keep it.
pub async fn kept_state(conn: &mut SqliteConnection) -> Result<ScanState> {
    let mut state = read_state(
        conn,
        "SELECT zone, serial, direction, at, station, station_seq FROM presence",
        "SELECT zone, quarter, admitted, denied FROM scan_tally",
    )
    .await?;
    // The kept counters, not those recounted from `presence` above.
    state.occupancy = sqlx::query("SELECT zone, inside FROM zone_occupancy WHERE inside != 0")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok(state)
}

/// The same state derived from the scan log alone (reads the whole log).
pub async fn derived_state(conn: &mut SqliteConnection) -> Result<ScanState> {
    read_state(
        conn,
        "SELECT zone, serial, direction, at, station, station_seq FROM (
             SELECT zone, serial, direction, at, station, station_seq,
                    ROW_NUMBER() OVER (PARTITION BY zone, serial
                                       ORDER BY at DESC, station DESC, station_seq DESC) AS n
             FROM scan WHERE serial IS NOT NULL AND decision != 'deny')
         WHERE n = 1",
        &format!(
            "SELECT zone, {QUARTER} AS q, SUM(decision != 'deny'), SUM(decision = 'deny')
             FROM scan GROUP BY zone, q"
        ),
    )
    .await
}

/// What the gate reads to decide, as the columns of one row, each a lookup
/// by primary key or unique index whatever the size of the log (`?1` the
/// zone, `?2` the badge number the token names): the zone's occupancy, the
/// badge's revocation, latest version, presence, vetting status and
/// screening, and the keys not retired (`KID:KEY` in hex, comma-separated).
const KNOWLEDGE: &str = "(SELECT inside FROM zone_occupancy WHERE zone = ?1),
     (SELECT 1 FROM revocation WHERE serial = ?2),
     (SELECT MAX(version) FROM badge WHERE serial = ?2),
     (SELECT direction FROM presence WHERE zone = ?1 AND serial = ?2),
     (SELECT status FROM vetting_decision WHERE serial = ?2
      ORDER BY at_ms DESC, id DESC LIMIT 1),
     (SELECT screening FROM attendee WHERE serial = ?2),
     (SELECT group_concat(hex(kid) || ':' || hex(public_key), ',')
      FROM signing_key WHERE retired_at IS NULL)";

/// The badge number `text` names, read before its signature is checked,
/// only to pick the rows the decision reads.
fn named_serial(text: &str) -> Option<BadgeSerial> {
    token::parse(text.trim_end_matches(['\r', '\n']))
        .ok()
        .and_then(|p| p.claims_unverified())
        .map(|c| c.serial)
}

/// The verifying keys a station holds.
type Keys = BTreeMap<Kid, VerifyingKey>;

/// The last list of keys read ([`KNOWLEDGE`]'s last column), decoded: a
/// decode decompresses curve points, and the list changes only when a key
/// is made or retired.
static KEYS: std::sync::Mutex<Option<(String, Keys)>> = std::sync::Mutex::new(None);

/// The keys `list` (hex `kid:key` pairs) names.
fn keys_listed(list: &str) -> Keys {
    if let Ok(last) = KEYS.lock() {
        if let Some((_, keys)) = last.as_ref().filter(|(l, _)| l == list) {
            return keys.clone();
        }
    }
    let keys = crate::keys::verifying_keys_from_hex(list);
    if let Ok(mut last) = KEYS.lock() {
        *last = Some((list.to_owned(), keys.clone()));
    }
    keys
}

/// The keys read last, if any: a scan checks its token's signature with
/// them while its statement runs, and again only if the statement finds
/// other keys.
fn last_keys() -> Option<Keys> {
    KEYS.lock()
        .ok()
        .and_then(|last| last.as_ref().map(|(_, k)| k.clone()))
}

/// [`Knowledge`] from the [`KNOWLEDGE`] columns of `row`, from column `at` on.
fn known(
    row: &sqlx::sqlite::SqliteRow,
    at: usize,
    gate: &GateConfig,
    serial: Option<BadgeSerial>,
) -> Result<Knowledge> {
    let zone = &gate.zone;
    let keys: Option<String> = row.get(at + 6);
    let mut known = Knowledge {
        keys: keys_listed(keys.as_deref().unwrap_or("")),
        ..Knowledge::default()
    };
    if gate.capacity.is_some() && gate.direction == Direction::In {
        let n = row.get::<Option<i64>, _>(at).unwrap_or(0);
        let n = u32::try_from(n).map_err(|e| Error::Internal(e.to_string()))?;
        known.occupancy.insert(zone.clone(), n);
    }
    if let Some(serial) = serial {
        if row.get::<Option<i64>, _>(at + 1).is_some() {
            known.revoked.insert(serial.clone());
        }
        if let Some(v) = row
            .get::<Option<i64>, _>(at + 2)
            .and_then(|v| u32::try_from(v).ok())
        {
            known.latest.insert(serial.clone(), v);
        }
        if row.get::<Option<String>, _>(at + 4).as_deref() == Some("cleared") {
            known.cleared.insert(serial.clone());
        }
        if row.get::<Option<String>, _>(at + 5).as_deref() == Some("held") {
            known.held_for_review.insert(serial.clone());
        }
        if row.get::<Option<String>, _>(at + 3).as_deref() == Some("in") {
            known.inside.entry(zone.clone()).or_default().insert(serial);
        }
    }
    Ok(known)
}

/// What the gate needs to know to decide on `text` ([`KNOWLEDGE`]), in one
/// statement: each statement is a round trip to SQLite's thread, and on a
/// busy machine each wake-up of a thread may wait for a core.
pub async fn knowledge(
    conn: &mut SqliteConnection,
    gate: &GateConfig,
    text: &str,
) -> Result<Knowledge> {
    let serial = named_serial(text);
    let row = sqlx::query(&format!("SELECT {KNOWLEDGE}"))
        .bind(gate.zone.as_str())
        .bind(serial.as_ref().map(BadgeSerial::as_str))
        .fetch_one(&mut *conn)
        .await?;
    known(&row, 0, gate, serial)
}

/// The gate decision without recording it.
pub async fn verify(
    store: &Store,
    event: &EventInfo,
    text: &str,
    zone: &ZoneCode,
    direction: Direction,
    now: Timestamp,
) -> Result<Verdict> {
    let gate = GateConfig::new(event, zone, direction)?;
    let mut conn = store.read().acquire().await?;
    let known = knowledge(&mut conn, &gate, text).await?;
    Ok(gate::decide(text, &gate, &known, now))
}

/// Decides and records the scan in one write transaction, committed
/// (`synchronous=FULL`) before the verdict is returned.
#[allow(clippy::too_many_arguments)]
pub async fn scan(
    store: &Store,
    event: &EventInfo,
    text: &str,
    zone: &ZoneCode,
    direction: Direction,
    now: Timestamp,
    station: Option<&str>,
    operator: &str,
) -> Result<ScanOutcome> {
    let gate = GateConfig::new(event, zone, direction)?;
    let serial = named_serial(text);
    // The common case: one statement, which begins the transaction, takes
    // this station's next sequence number and reads what the decision
    // needs; the station row is made on first use.
    let next_sql = |begin: &str| {
        format!(
            "{begin}UPDATE station SET last_seq = last_seq + 1 WHERE id = 1
             RETURNING uuid, last_seq, {KNOWLEDGE}"
        )
    };
    let next = |sql| {
        sqlx::query(sql)
            .bind(gate.zone.as_str())
            .bind(serial.as_ref().map(BadgeSerial::as_str))
    };
    let own = |row: Option<SqliteRow>| {
        row.map(|r| Ok::<_, Error>((r.get(0), r.get(1), known(&r, 2, &gate, serial.clone())?)))
            .transpose()
    };
    let no_row = || Error::Internal("no station row".into());
    let begin_sql; // as long as the `next` queries it shares a lifetime with
    let (mut tx, first, early) = match station {
        None => {
            begin_sql = next_sql("BEGIN; ");
            // The signature is checked (most of the decision's CPU) while
            // SQLite runs the statement on its own thread.
            let check = async {
                last_keys().map(|keys| {
                    let checked = gate::check_token(text, &keys);
                    (keys, checked)
                })
            };
            let (begun, early) = tokio::join!(store.write_begun_by(next(&begin_sql)), check);
            let (tx, row) = begun?;
            (tx, own(row)?, early)
        }
        Some(_) => {
            let (tx, _) = store.write_begun_by(sqlx::query("BEGIN IMMEDIATE")).await?;
            (tx, None, None)
        }
    };
    let (station, seq, known) = match first {
        Some(own) => own,
        None => {
            // Makes the station row on first use.
            let mine = station_id(&mut tx).await?;
            match station {
                Some(other) if other != mine => {
                    let seq = sqlx::query_scalar(
                        "SELECT COALESCE(MAX(station_seq), 0) + 1 FROM scan WHERE station = ?",
                    )
                    .bind(other)
                    .fetch_one(&mut *tx)
                    .await?;
                    let known = knowledge(&mut tx, &gate, text).await?;
                    (other.to_string(), seq, known)
                }
                _ => {
                    let again = next_sql("");
                    let row = next(&again).fetch_optional(&mut *tx).await?;
                    own(row)?.ok_or_else(no_row)?
                }
            }
        }
    };
    let checked = match early {
        Some((keys, checked)) if keys == known.keys => checked,
        _ => gate::check_token(text, &known.keys),
    };
    let verdict = gate::decide_checked(checked, &gate, &known, now);
    let id = uuid::Uuid::now_v7().to_string();
    let at = format_at(now);
    // The record and the commit in one round trip.
    let record = sqlx::query(
        "INSERT INTO scan (id, station, station_seq, serial, version, zone, direction, decision, reason, at, operator)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?); COMMIT",
    )
    .bind(&id)
    .bind(&station)
    .bind(seq)
    .bind(verdict.serial.as_ref().map(|s| s.as_str()))
    .bind(verdict.version.map(i64::from))
    .bind(zone.as_str())
    .bind(direction.as_str())
    .bind(verdict.decision.as_str())
    .bind(verdict.reason.as_str())
    .bind(&at)
    .bind(operator);
    tx.commit_with(record).await?;
    Ok(ScanOutcome {
        verdict,
        id,
        station,
        seq,
        at,
    })
}

/// The recorded scans, oldest first, optionally of one zone or badge.
pub async fn list(
    store: &Store,
    zone: Option<&ZoneCode>,
    serial: Option<&BadgeSerial>,
) -> Result<Vec<Scan>> {
    let rows = sqlx::query(
        "SELECT id, station, station_seq, serial, version, zone, direction, decision, reason, at, operator
         FROM scan WHERE (?1 IS NULL OR zone = ?1) AND (?2 IS NULL OR serial = ?2)
         ORDER BY at, station, station_seq",
    )
    .bind(zone.map(|z| z.as_str()))
    .bind(serial.map(|s| s.as_str()))
    .fetch_all(store.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Scan {
            id: r.get(0),
            station: r.get(1),
            seq: r.get(2),
            serial: r.get(3),
            version: r
                .get::<Option<i64>, _>(4)
                .and_then(|v| u32::try_from(v).ok()),
            zone: r.get(5),
            direction: r.get(6),
            decision: r.get(7),
            reason: r.get(8),
            at: r.get(9),
            operator: r.get(10),
        })
        .collect())
}
