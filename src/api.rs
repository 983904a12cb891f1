//! The one API every shell calls: the Tauri commands, the HTTP handlers of
//! `gatehouse serve` and the CLI parse their input, call these methods and
//! format the result. Nothing here knows which shell is calling.

use std::path::Path;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::event::{EventInfo, ZoneCode};
use crate::staff::Role;
use crate::store::Store;

/// How this station was started: a role opens that station's screen directly
/// (kiosk start-up).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StationConfig {
    pub role: Option<Role>,
    pub zone: Option<ZoneCode>,
}

#[derive(Clone, Debug)]
pub struct Api {
    store: Store,
    station: StationConfig,
}

impl Api {
    pub async fn open(db: &Path, station: StationConfig) -> Result<Api> {
        Ok(Api {
            store: Store::open(db).await?,
            station,
        })
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

    /// A new install opens on a live demo event: if the database holds no
    /// event yet, the demo event is created starting today.
    pub async fn ensure_event(&self, now: Timestamp) -> Result<EventInfo> {
        match self.event().await {
            Err(crate::Error::NoEvent) => {
                crate::demo::install(&self.store, crate::demo::today_at_venue(now)?, now).await?;
                self.event().await
            }
            other => other,
        }
    }
}
