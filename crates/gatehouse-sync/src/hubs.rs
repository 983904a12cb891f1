//! The hubs of one event (`docs/SCALE.md`, "Failover") and the order a
//! station tries them in: the hub it paired with first, then the others.
//! Plain data; the station signs and checks the list (`sync::hubs` in the
//! station crate) and reaches the hubs over TLS.

use serde::{Deserialize, Serialize};

/// One hub process of the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubAddress {
    /// Its station id.
    pub hub: String,
    /// Where stations reach it (`https://…`).
    pub url: String,
    /// Its TLS certificate's SHA-256 fingerprint (64 hex digits).
    pub fingerprint: String,
}

/// The event's hubs, in the order the hubs give them (first started first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubList {
    pub hubs: Vec<HubAddress>,
    /// When it was signed (ms since the epoch, the signing hub's clock).
    pub at_ms: i64,
}

/// Where a station syncs: a hub's address and the fingerprint it pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub fingerprint: Option<String>,
}

/// A station's hubs in its order of preference: the hub it paired with
/// first, then the others in the list's order (a hub the list names by the
/// paired hub's address or fingerprint is that hub, not another).
pub fn preference(paired: &Target, list: Option<&HubList>) -> Vec<Target> {
    let mut out = vec![paired.clone()];
    for h in list.map(|l| l.hubs.as_slice()).unwrap_or_default() {
        let known = out.iter().any(|t| {
            t.url.trim_end_matches('/') == h.url.trim_end_matches('/')
                || t.fingerprint.as_deref() == Some(h.fingerprint.as_str())
        });
        if !known {
            out.push(Target {
                url: h.url.trim_end_matches('/').to_string(),
                fingerprint: Some(h.fingerprint.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> HubList {
        HubList {
            hubs: vec![
                HubAddress {
                    hub: "a".into(),
                    url: "https://10.0.0.1:8443".into(),
                    fingerprint: "aa".repeat(32),
                },
                HubAddress {
                    hub: "b".into(),
                    url: "https://10.0.0.2:8443".into(),
                    fingerprint: "bb".repeat(32),
                },
            ],
            at_ms: 1,
        }
    }

    #[test]
    fn the_paired_hub_comes_first_then_the_others_once() {
        let paired = Target {
            url: "https://10.0.0.2:8443/".into(),
            fingerprint: Some("bb".repeat(32)),
        };
        let order = preference(&paired, Some(&list()));
        assert_eq!(order.len(), 2);
        assert_eq!(order[0], paired);
        assert_eq!(order[1].url, "https://10.0.0.1:8443");
        assert_eq!(preference(&paired, None), vec![paired]);
    }
}
