//! The window's commands are listed three times, because Tauri wants them
//! so: `src-tauri/build.rs` (each gets a permission), `generate_handler!` in
//! `src-tauri/src/main.rs` (each is callable) and the capability file (each
//! is granted to the window). A command missing from one of them fails only
//! when the window calls it; this test fails at once instead.

use std::collections::BTreeSet;

fn read(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The text between `start` and the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found"))
        + start.len();
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &text[from..from + len]
}

fn declared() -> BTreeSet<String> {
    between(
        &read("src-tauri/build.rs"),
        "const COMMANDS: &[&str] = &[",
        "];",
    )
    .split(',')
    .map(|s| s.trim().trim_matches('"').to_string())
    .filter(|s| !s.is_empty())
    .collect()
}

fn handled() -> BTreeSet<String> {
    between(&read("src-tauri/src/main.rs"), "generate_handler![", "]")
        .split(',')
        .map(|s| s.trim().rsplit("::").next().unwrap_or_default().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn granted() -> BTreeSet<String> {
    let caps: serde_json::Value =
        serde_json::from_str(&read("src-tauri/capabilities/main.json")).expect("capability JSON");
    caps["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

#[test]
fn every_command_is_declared_handled_and_granted() {
    let declared = declared();
    assert!(declared.len() > 20, "{declared:?}");
    assert_eq!(
        handled(),
        declared,
        "generate_handler! and build.rs's COMMANDS"
    );
    assert_eq!(
        granted(),
        declared,
        "capabilities/main.json and build.rs's COMMANDS"
    );
}

/// The table's operations (`gatehouse::ops`) reach the window through its
/// one `call` command, which hands the session to `Api::call` (where the
/// permission is decided, as for `serve`): none has a command of its own
/// that could choose a permission again.
#[test]
fn the_tables_operations_go_through_the_one_call_command() {
    let declared = declared();
    assert!(declared.contains("call"), "{declared:?}");
    for op in gatehouse::ops::OPERATIONS {
        assert!(
            !declared.contains(op.name),
            "{} is in the operation table and a command of its own",
            op.name
        );
    }
    let main = read("src-tauri/src/main.rs");
    let command = between(&main, "async fn call(", "\n}\n");
    assert!(
        command.contains(".call(session.as_deref(), &op, args,"),
        "the window's call command must go through Api::call with its session:\n{command}"
    );
}

/// The operations each shell answers itself (a raw upload, a file handed
/// over) take their permission from the same table, by name, in both.
#[test]
fn the_shells_own_operations_take_their_permission_from_the_table() {
    let window: String = [
        "src-tauri/src/desk.rs",
        "src-tauri/src/console.rs",
        "src-tauri/src/sync.rs",
    ]
    .iter()
    .map(|f| read(f))
    .collect();
    let serve: String = [
        "src/registry/http.rs",
        "src/desk/http.rs",
        "src/console/http.rs",
        "src/sync/http.rs",
    ]
    .iter()
    .map(|f| read(f))
    .collect();
    for op in gatehouse::ops::SHELL_OPERATIONS {
        let asked = format!("authorize_op(Some(&session), \"{}\"", op.name);
        assert!(window.contains(&asked), "the window's {}", op.name);
        let asked = format!("authorize_op(bearer(&headers), \"{}\"", op.name);
        assert!(serve.contains(&asked), "serve's {}", op.name);
    }
}
