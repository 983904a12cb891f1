//! Installs the BAMEX'25 demo event ([`gatehouse_core::demo`], plain data)
//! into a station's database, with the demo staff accounts.

pub use gatehouse_core::demo::*;

use jiff::civil::Date;
use jiff::Timestamp;

use crate::audit;
use crate::error::Result;
use crate::staff::Pin;
use crate::store::Store;

/// Creates, or resets, the demo event in `store`. A database that holds
/// another event is left alone.
pub async fn install(store: &Store, first_day: Date, now: Timestamp) -> Result<DemoSummary> {
    let event = bamex25(first_day)?;
    if let Ok(existing) = crate::event_store::load(store.read()).await {
        if existing.code != BAMEX25_CODE {
            return Err(crate::messages::Msg::DemoWouldReplace {
                db: store.path().display().to_string(),
                event: existing.code.to_string(),
            }
            .into());
        }
    }
    // Hash the PINs before taking the write lock: Argon2 is deliberately
    // slow. Published PINs gain nothing from a costly hash: the crate's
    // default cost (a right sign-in on a standalone station raises it).
    let mut accounts = Vec::new();
    for (name, role, pin) in DEMO_STAFF {
        accounts.push((name, role, pin, Pin::parse(pin)?.hash_cheap()?));
    }
    let mut tx = store.write().await?;
    // Attendees refer to the categories being replaced: a reset starts with none.
    crate::registry::demo::clear(&mut tx).await?;
    crate::event_store::replace(&mut tx, &event, now).await?;
    // The event's signing key, made now if this station has none yet: a
    // reset keeps earlier keys so badges already printed still verify.
    crate::keys::signing_key(&mut tx, store.path(), now, "system").await?;
    sqlx::query("DELETE FROM staff").execute(&mut *tx).await?;
    for (name, role, _, hash) in &accounts {
        sqlx::query(
            "INSERT INTO staff (id, name, role, pin_hash, created_at, pin_digits) VALUES (?, ?, ?, ?, ?, 4)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(name)
        .bind(role.as_str())
        .bind(hash)
        .bind(now.to_string())
        .execute(&mut *tx)
        .await?;
    }
    audit::append(
        &mut tx,
        now,
        "system",
        "demo.install",
        &serde_json::json!({ "event": event.code, "first_day": first_day.to_string() }),
    )
    .await?;
    tx.commit().await?;

    Ok(DemoSummary {
        event: event.name.clone(),
        first_day: event.days[0].date,
        last_day: event.days[event.days.len() - 1].date,
        zones: event.zones.len(),
        categories: event.categories.len(),
        staff: accounts
            .into_iter()
            .map(|(name, role, pin, _)| DemoAccount {
                name: name.into(),
                role,
                pin: pin.into(),
            })
            .collect(),
    })
}
