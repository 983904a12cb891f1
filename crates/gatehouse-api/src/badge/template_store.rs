//! The event's badge template as the organiser console saved it, in the
//! `badge_template` row (migration 0010); without one, the shipped BAMEX'25
//! template. Every badge the station renders (desk preview and print, the
//! `badges` and `print` commands) uses [`current`], so an edit shows on the
//! next badge.

use jiff::Timestamp;
use sqlx::{Row, SqlitePool};

use super::template::{Template, TemplateSettings};
use crate::error::{Error, Result};
use crate::store::Store;

/// The template settings in force.
pub async fn settings(pool: &SqlitePool) -> Result<TemplateSettings> {
    let row = sqlx::query("SELECT settings FROM badge_template WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    match row {
        Some(r) => serde_json::from_str(&r.get::<String, _>(0))
            .map_err(|e| Error::Internal(format!("the stored badge template is unreadable: {e}"))),
        None => Template::bamex25()?.settings(),
    }
}

/// The template badges are rendered with, printing the event's own name.
pub async fn current(pool: &SqlitePool) -> Result<Template> {
    let template = Template::from_settings(&settings(pool).await?)?;
    Ok(match crate::event_store::load(pool).await {
        Ok(event) => template.named(&event.name),
        Err(_) => template,
    })
}

/// Replaces the event's template after checking that it can print, with an
/// audit entry (`badge.template`) in the same transaction.
pub async fn save(
    store: &Store,
    new: &TemplateSettings,
    actor: &str,
    now: Timestamp,
) -> Result<TemplateSettings> {
    let template = Template::from_settings(new)?;
    // Stored as checked (names cleaned, fields in order, no duplicates).
    let clean = template.settings()?;
    let json = serde_json::to_string(&clean)
        .map_err(|e| Error::Internal(format!("badge template: {e}")))?;
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO badge_template (id, settings, updated_at, updated_by) VALUES (1, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(&json)
    .bind(now.to_string())
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    crate::audit::append(
        &mut tx,
        now,
        actor,
        "badge.template",
        &serde_json::to_value(&clean)
            .map_err(|e| Error::Internal(format!("badge template: {e}")))?,
    )
    .await?;
    tx.commit().await?;
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badge::template::Field;

    #[tokio::test]
    async fn the_shipped_template_until_saved_then_the_saved_one_audited() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::Internal(e.to_string()))?;
        let store = Store::open(&dir.path().join("t.db")).await?;
        let shipped = settings(store.read()).await?;
        assert_eq!(shipped, Template::bamex25()?.settings()?);

        let mut s = shipped.clone();
        s.accent = "#7a1f1f".to_string().try_into()?;
        s.fields.retain(|f| *f != Field::Organisation);
        s.fields.push(Field::Photo); // a duplicate is dropped
        let saved = save(&store, &s, "admin-1", Timestamp::now()).await?;
        assert_eq!(saved.accent.as_str(), "#7A1F1F");
        assert_eq!(settings(store.read()).await?, saved);
        let t = current(store.read()).await?;
        assert!(!t.shows(Field::Organisation) && t.shows(Field::Photo));
        assert_eq!(
            saved.fields.iter().filter(|f| **f == Field::Photo).count(),
            1
        );

        let audited: (String, String) =
            sqlx::query_as("SELECT actor, action FROM audit ORDER BY seq DESC LIMIT 1")
                .fetch_one(store.read())
                .await?;
        assert_eq!(audited, ("admin-1".into(), "badge.template".into()));

        // A template that could not print is refused, the saved one kept.
        s.event = String::new();
        assert!(save(&store, &s, "admin-1", Timestamp::now()).await.is_err());
        assert_eq!(settings(store.read()).await?, saved);
        Ok(())
    }
}
