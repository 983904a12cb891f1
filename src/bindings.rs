//! The TypeScript types of the UI (`ui/src/lib/bindings.ts`) are generated
//! from the Rust types; this test fails when they drift.
//! `UPDATE_BINDINGS=1 cargo test bindings` rewrites the file.

use ts_rs::{Config, TS};

use crate::api::StationConfig;
use crate::audit::AuditCheck;
use crate::demo::{DemoAccount, DemoSummary};
use crate::error::{ApiError, ErrorCode};
use crate::event::{
    Antipassback, Category, CategoryCode, Color, EventDay, EventInfo, RetiredZone, Zone, ZoneCode,
};
use crate::staff::Role;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/lib/bindings.ts");

fn generate() -> String {
    let cfg = Config::new();
    let decls = [
        ApiError::decl(&cfg),
        crate::error::Texts::decl(&cfg),
        ErrorCode::decl(&cfg),
        crate::sync::unsent::Unsent::decl(&cfg),
        Role::decl(&cfg),
        StationConfig::decl(&cfg),
        ZoneCode::decl(&cfg),
        CategoryCode::decl(&cfg),
        Color::decl(&cfg),
        Antipassback::decl(&cfg),
        EventInfo::decl(&cfg),
        EventDay::decl(&cfg),
        Zone::decl(&cfg),
        RetiredZone::decl(&cfg),
        Category::decl(&cfg),
        DemoSummary::decl(&cfg),
        DemoAccount::decl(&cfg),
        AuditCheck::decl(&cfg),
        crate::serial::BadgeSerial::decl(&cfg),
        crate::gate::Verdict::decl(&cfg),
        crate::gate::Decision::decl(&cfg),
        crate::gate::Reason::decl(&cfg),
        crate::gate::Direction::decl(&cfg),
        crate::scan_log::ScanOutcome::decl(&cfg),
        crate::scan::Scan::decl(&cfg),
        crate::keys::KeyInfo::decl(&cfg),
        crate::badge_issue::IssuedToken::decl(&cfg),
        crate::badge_issue::Revocation::decl(&cfg),
        crate::auth::SessionInfo::decl(&cfg),
        crate::auth::SignInName::decl(&cfg),
        crate::gate_station::GateStatus::decl(&cfg),
        crate::gate_station::HolderPhoto::decl(&cfg),
        crate::gate_station::OverrideRequest::decl(&cfg),
        crate::gate_station::OverrideOutcome::decl(&cfg),
        crate::console::rollcall::Rollcall::decl(&cfg),
        crate::console::rollcall::RollcallEntry::decl(&cfg),
        crate::console::rollcall::RollcallFormat::decl(&cfg),
        crate::console::dashboard::Dashboard::decl(&cfg),
        crate::console::dashboard::ZoneOccupancy::decl(&cfg),
        crate::console::dashboard::HourlyEntries::decl(&cfg),
        crate::console::dashboard::DenialCount::decl(&cfg),
        crate::console::audit_log::AuditEntry::decl(&cfg),
        crate::console::audit_log::AuditFilter::decl(&cfg),
        crate::console::audit_log::AuditPage::decl(&cfg),
        crate::console::audit_log::AuditVerification::decl(&cfg),
        crate::console::revocations::RevocationRow::decl(&cfg),
        crate::console::SavedFile::decl(&cfg),
        crate::console::reports::Reports::decl(&cfg),
        crate::console::reports::AttendanceReport::decl(&cfg),
        crate::console::reports::AttendanceRow::decl(&cfg),
        crate::console::reports::PrintReport::decl(&cfg),
        crate::console::reports::PrintRow::decl(&cfg),
        crate::console::reports::ReportKind::decl(&cfg),
        crate::console::reports::ReportFormat::decl(&cfg),
        crate::console::setup::StaffMember::decl(&cfg),
        crate::console::setup::StaffChange::decl(&cfg),
        crate::console::setup::StaffState::decl(&cfg),
        crate::console::setup::EventSave::decl(&cfg),
        crate::backup::BackupSummary::decl(&cfg),
        crate::backup_schedule::ScheduleState::decl(&cfg),
        crate::backup_schedule::Said::decl(&cfg),
        crate::backup_schedule::Setting::decl(&cfg),
        crate::badge_issue::AccessImpact::decl(&cfg),
        crate::desk::PdfRequest::decl(&cfg),
        crate::desk::DocumentRead::decl(&cfg),
        crate::desk::MatchedBy::decl(&cfg),
        crate::registry::mrz::Mrz::decl(&cfg),
        crate::registry::mrz::MrzFormat::decl(&cfg),
        crate::registry::mrz::DocumentKind::decl(&cfg),
        crate::registry::mrz::Sex::decl(&cfg),
        crate::registry::mrz::MrzField::decl(&cfg),
        crate::registry::mrz::MrzWhy::decl(&cfg),
        crate::registry::mrz::MrzProblem::decl(&cfg),
        crate::desk::PdfSaved::decl(&cfg),
        crate::config_change::ConfigChange::decl(&cfg),
        crate::config_change::ConfigSection::decl(&cfg),
        crate::config_change::ChangeKind::decl(&cfg),
        crate::registry::problem::CategoryChoice::decl(&cfg),
        crate::sync::conflicts::Conflict::decl(&cfg),
        crate::sync::visibility::SyncMode::decl(&cfg),
        crate::sync::visibility::SyncStatus::decl(&cfg),
        crate::sync::visibility::StationRef::decl(&cfg),
        crate::sync::visibility::RevocationReach::decl(&cfg),
        crate::sync::hub::PeerInfo::decl(&cfg),
        crate::sync::hub::PairingCode::decl(&cfg),
        crate::sync::join_fresh::JoinOutcome::decl(&cfg),
        crate::sync::hub::PairingRequest::decl(&cfg),
        crate::sync::hub::OpenCode::decl(&cfg),
        crate::sync::hub::Unpaired::decl(&cfg),
        crate::sync::hub::SecurityAlert::decl(&cfg),
        crate::sync::store::HeldEntry::decl(&cfg),
        crate::sync::store::Resolution::decl(&cfg),
        crate::sync::store::Resolved::decl(&cfg),
        crate::console::conflicts::ConflictRow::decl(&cfg),
        crate::console::conflicts::ConflictNote::decl(&cfg),
        crate::registry::Attendee::decl(&cfg),
        crate::registry::NewAttendee::decl(&cfg),
        crate::registry::Status::decl(&cfg),
        crate::registry::FieldError::decl(&cfg),
        crate::registry::FieldProblem::decl(&cfg),
        crate::registry::SearchHit::decl(&cfg),
        crate::badge::Format::decl(&cfg),
        crate::desk::PrintRequest::decl(&cfg),
        crate::desk::PrintOutcome::decl(&cfg),
        crate::desk::PrinterInfo::decl(&cfg),
        crate::print::JobState::decl(&cfg),
        crate::print::JobProgress::decl(&cfg),
        crate::badge::template::Field::decl(&cfg),
        crate::lang::Lang::decl(&cfg),
        crate::badge::template::TemplateSettings::decl(&cfg),
        crate::registry::import::Column::decl(&cfg),
        crate::registry::import::Mapping::decl(&cfg),
        crate::registry::import::ImportError::decl(&cfg),
        crate::registry::import::ImportReport::decl(&cfg),
        crate::registry::import::ImportPreview::decl(&cfg),
        crate::registry::import::ImportPhase::decl(&cfg),
        crate::registry::import::ImportProgress::decl(&cfg),
        crate::registry::privacy::Erasure::decl(&cfg),
        crate::registry::privacy::Purge::decl(&cfg),
        crate::desk::BatchPdfRequest::decl(&cfg),
        crate::desk::PdfBatchSaved::decl(&cfg),
        crate::event::HoldPolicy::decl(&cfg),
        crate::vetting::Accreditation::decl(&cfg),
        crate::vetting::Decision::decl(&cfg),
        crate::vetting_store::QueueRow::decl(&cfg),
        crate::vetting_store::DocumentReveal::decl(&cfg),
        crate::vetting_store::QueueFilter::decl(&cfg),
        crate::vetting_store::DecisionRequest::decl(&cfg),
        crate::vetting::PrintRule::decl(&cfg),
        crate::vetting_store::AccreditationView::decl(&cfg),
        crate::registry::screening::WatchlistHitView::decl(&cfg),
        crate::registry::screening::ScreenedAttendee::decl(&cfg),
        crate::registry::screening::WatchlistView::decl(&cfg),
        crate::registry::screening::WatchlistImported::decl(&cfg),
        crate::first_start::FirstStart::decl(&cfg),
        crate::first_start::NewEvent::decl(&cfg),
        crate::gate_station::Holder::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `cargo test` (ts-rs). Do not edit by hand.\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out.push_str(&crate::ops::typescript(&cfg));
    out
}

#[test]
fn typescript_bindings_are_current() {
    let expected = generate();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(PATH, &expected).expect("write bindings");
        return;
    }
    let actual = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        actual == expected,
        "ui/src/lib/bindings.ts is out of date: run `UPDATE_BINDINGS=1 cargo test bindings`"
    );
}
