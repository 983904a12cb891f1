//! The directions of the code (issue 15).
//!
//! The core — the language, the event model, serials, tokens, the gate's
//! decision, the refusals and their words — is its own crate,
//! `crates/gatehouse-core`: Cargo stops it from importing the station's
//! modules, and these tests check that it depends on no storage, server,
//! command line or network crate and names no file, process or clock, so the
//! gate's decision stays a plain function a test (or another shell) can run
//! on data alone. The sync protocol is its own crate too,
//! `crates/gatehouse-sync`, held to the same rules. The station's crate,
//! `crates/gatehouse-api`, names no shell (no clap, axum or Tauri), and the
//! shells on top (the `gatehouse` command, `src-tauri`) are imported by
//! nothing. No crate has an import cycle inside it either: they fail on
//! any, and print the imports holding it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Crates the core must not depend on: storage, servers, the command line,
/// the desktop shell, the network, PDF rendering, an async runtime.
const FORBIDDEN_CRATES: &[&str] = &[
    "sqlx", "axum", "tokio", "clap", "tauri", "reqwest", "printpdf", "hyper", "rusqlite",
];

/// What the core's code must not name: files, processes, the network and the
/// clock (`now` is an argument). (Storage and servers cannot be named: they
/// are not dependencies.)
const FORBIDDEN: &[&str] = &[
    "std::fs",
    "std::process",
    "std::net",
    "Timestamp::now",
    "SystemTime::now",
    "Instant::now",
    "Zoned::now",
];

/// The one file of the core that names sqlx: the conversions from its errors
/// (the optional `sqlx` feature; Rust's orphan rule puts them in the core).
const SQLX_GLUE: &str = "error::from_sqlx";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn core_src() -> PathBuf {
    root().join("crates/gatehouse-core/src")
}

/// Every module under `root` (a crate's `src`): its path (`sync::store`) and
/// its file.
fn modules_in(root: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(root).ok()?.with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            Some((parts.join("::"), p))
        })
        .collect()
}

fn station_src() -> PathBuf {
    root().join("crates/gatehouse-api/src")
}

/// The station crate's modules and the core's, each at the path the station
/// reaches it by (its `lib.rs` re-exports the core's modules where they were).
fn modules() -> BTreeMap<String, PathBuf> {
    let mut all = modules_in(&core_src());
    all.remove("");
    all.extend(modules_in(&station_src()));
    all
}

/// The code of a file without its comments and its test modules (tests may
/// reach anywhere; a file's test modules come last, whatever their name).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `a::b::c` path that starts at byte `at` of `text`.
fn path_at(text: &str, at: usize) -> Vec<&str> {
    let rest = &text[at..];
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    rest[..end].split("::").filter(|s| !s.is_empty()).collect()
}

/// The modules `module` (in `file`) imports: `crate::…` paths, and
/// `super::…` ones resolved against its parent, to the longest module prefix.
fn imports(module: &str, file: &Path, all: &BTreeMap<String, PathBuf>) -> BTreeSet<String> {
    let text = code(file);
    let is_mod_rs = file.file_name().is_some_and(|n| n == "mod.rs");
    let mut parent: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
    if !is_mod_rs {
        parent.pop();
    }
    let longest = |segs: &[&str]| -> Option<String> {
        (1..=segs.len())
            .rev()
            .map(|i| segs[..i].join("::"))
            .find(|m| all.contains_key(m))
    };
    let mut out = BTreeSet::new();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent.clone())] {
        for (at, _) in text.match_indices(prefix) {
            // `foo_crate::` or `self::super::` are not ours.
            if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let start = at + prefix.len();
            let mut heads: Vec<Vec<&str>> = Vec::new();
            if text[start..].starts_with('{') {
                // `use super::{a, b::C}`: each item of the group.
                let group =
                    &text[start + 1..text[start..].find('}').map_or(start + 1, |e| start + e)];
                for item in group.split(',') {
                    heads.push(item.trim().split("::").map(str::trim).collect());
                }
            } else {
                heads.push(path_at(&text, start));
            }
            for head in heads {
                let segs: Vec<&str> = base.iter().copied().chain(head).collect();
                if let Some(m) = longest(&segs) {
                    if m != module {
                        out.insert(m);
                    }
                }
            }
        }
    }
    out
}

/// The core's `[dependencies]` section: the crates it names.
fn core_dependencies() -> Vec<(String, String)> {
    dependencies("crates/gatehouse-core/Cargo.toml")
}

/// The `[dependencies]` section of the manifest at `manifest` (from the
/// workspace's root): the crates it names, with their specifications.
fn dependencies(manifest: &str) -> Vec<(String, String)> {
    let manifest = std::fs::read_to_string(root().join(manifest)).unwrap_or_default();
    let section = manifest
        .split("\n[")
        .find(|s| s.starts_with("dependencies]"))
        .unwrap_or_default();
    section
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('='))
        .map(|(name, spec)| (name.trim().to_string(), spec.trim().to_string()))
        .filter(|(name, _)| !name.starts_with('#'))
        .collect()
}

#[test]
fn the_core_depends_on_no_storage_server_or_network() {
    let deps = core_dependencies();
    assert!(
        deps.iter().any(|(n, _)| n == "jiff"),
        "the core's manifest was not read: {deps:?}"
    );
    let wrong: Vec<&String> = deps
        .iter()
        .filter(|(name, spec)| {
            FORBIDDEN_CRATES.contains(&name.as_str())
                && !(name == "sqlx" && spec.contains("optional = true"))
        })
        .map(|(name, _)| name)
        .collect();
    assert!(wrong.is_empty(), "the core depends on {wrong:?}");
}

#[test]
fn the_core_names_no_storage_server_process_or_clock() {
    let core = modules_in(&core_src());
    assert!(core.contains_key("gate") && core.contains_key("messages"));
    let mut wrong = Vec::new();
    for (m, file) in &core {
        let text = code(file);
        for f in FORBIDDEN {
            if text.contains(f) {
                wrong.push(format!("{m} names {f}"));
            }
        }
        if text.contains("sqlx::") && m != SQLX_GLUE {
            wrong.push(format!("{m} names sqlx"));
        }
    }
    assert!(
        wrong.is_empty(),
        "the core is not plain:\n  {}",
        wrong.join("\n  ")
    );
}

fn sync_src() -> PathBuf {
    root().join("crates/gatehouse-sync/src")
}

#[test]
fn the_sync_protocol_depends_on_no_storage_server_or_network() {
    let deps = dependencies("crates/gatehouse-sync/Cargo.toml");
    assert!(
        deps.iter().any(|(n, _)| n == "gatehouse-core"),
        "the sync crate's manifest was not read: {deps:?}"
    );
    // Not even the core's sqlx glue: the protocol's errors are the core's.
    let wrong: Vec<String> = deps
        .iter()
        .filter(|(name, spec)| {
            FORBIDDEN_CRATES.contains(&name.as_str())
                || (name == "gatehouse-core" && spec.contains("sqlx"))
        })
        .map(|(name, spec)| format!("{name} = {spec}"))
        .collect();
    assert!(wrong.is_empty(), "the sync crate depends on {wrong:?}");
    let sync = modules_in(&sync_src());
    assert!(sync.contains_key("protocol") && sync.contains_key("merge"));
    let mut named = Vec::new();
    for (m, file) in &sync {
        let text = code(file);
        for f in FORBIDDEN.iter().chain(&["sqlx::", "axum::", "tokio::"]) {
            if text.contains(f) {
                named.push(format!("{m} names {f}"));
            }
        }
    }
    assert!(
        named.is_empty(),
        "the sync protocol is not plain:\n  {}",
        named.join("\n  ")
    );
}

/// No import cycle inside the sync crate (Cargo stops any across it: it
/// cannot name the station). Its modules import the records and the clocks
/// below them, the policy below the protocol.
#[test]
fn the_sync_protocol_has_no_import_cycle() {
    let mut all = modules_in(&sync_src());
    all.remove("");
    let graph: BTreeMap<String, BTreeSet<String>> = all
        .iter()
        .map(|(m, f)| (m.clone(), imports(m, f, &all)))
        .collect();
    // The parser's sanity check: the protocol imports the records and the
    // policy, the policy the records.
    assert!(graph["protocol"].contains("record") && graph["protocol"].contains("policy"));
    assert!(graph["policy"].contains("record"));
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import cycles in the sync crate: {found:?}"
    );
}

/// Tarjan's strongly connected components: the import cycles.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'g> {
        g: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    impl<'g> T<'g> {
        fn visit(&mut self, v: &'g str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on.insert(v);
            for w in self.g.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low[v];
                    self.low.insert(v, lv.min(lw));
                } else if self.on.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low[v];
                    self.low.insert(v, lv.min(iw));
                }
            }
            if self.low[v] == self.index[v] {
                let mut comp = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on.remove(w);
                    comp.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort();
                    self.out.push(comp);
                }
            }
        }
    }
    let mut t = T {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.out
}

#[test]
fn the_station_has_no_import_cycle() {
    let all = modules();
    let graph: BTreeMap<String, BTreeSet<String>> = all
        .iter()
        .map(|(m, f)| (m.clone(), imports(m, f, &all)))
        .collect();
    let mut found = cycles(&graph);
    found.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let largest = found.first().map_or(0, Vec::len);
    println!(
        "{} modules; {} import cycles; the largest holds {} modules",
        all.len(),
        found.len(),
        largest
    );
    for c in &found {
        println!("  cycle of {}: {}", c.len(), c.join(", "));
        if std::env::var_os("LAYERS_EDGES").is_some() {
            for m in c {
                let inside: Vec<&String> = graph[m].iter().filter(|n| c.contains(n)).collect();
                println!("    {m} -> {inside:?}");
            }
        }
    }
    // The reader sees the core's modules (the sanity check of the parser:
    // the gate imports the token, the token the serial).
    assert!(graph["gate"].contains("token") && graph["token"].contains("serial"));
    // No cycle runs through the core: its modules import each other in one
    // direction (the leaves — `lang`, `code`, `role`, `say`, `accreditation`,
    // `registry::mrz_field` — name no refusal, so the catalogue may name them).
    // (The station's `demo`, `registry` and `sync` share their paths with
    // the core's; they are the station's modules here.)
    let station = modules_in(&station_src());
    let mut core = modules_in(&core_src());
    core.retain(|m, _| !station.contains_key(m));
    let through_core: Vec<&Vec<String>> = found
        .iter()
        .filter(|c| c.iter().any(|m| core.contains_key(m)))
        .collect();
    assert!(
        through_core.is_empty(),
        "import cycles through the core: {through_core:?}"
    );
    // None: the last (`http` and the features' `http.rs`) went with the one
    // list of operations and the shared helpers' leaf (`http_support.rs`),
    // the sync modules' with the entry rows' leaf (`sync/entry_rows.rs`).
    assert!(
        found.is_empty(),
        "import cycles in the station: {} (the largest of {largest} modules); \
         LAYERS_EDGES=1 cargo test --test layers -- --nocapture names the imports holding them",
        found.len()
    );
}

/// Crates only a shell may use: the command line, the HTTP servers, the
/// window.
const SHELL_CRATES: &[&str] = &[
    "clap",
    "axum",
    "axum-server",
    "tower-http",
    "rust-embed",
    "mime_guess",
    "rpassword",
    "tauri",
];

#[test]
fn the_station_names_no_shell_and_nothing_imports_a_shell() {
    let deps = dependencies("crates/gatehouse-api/Cargo.toml");
    assert!(
        deps.iter().any(|(n, _)| n == "sqlx"),
        "the station's manifest was not read: {deps:?}"
    );
    let wrong: Vec<&String> = deps
        .iter()
        .map(|(name, _)| name)
        .filter(|name| SHELL_CRATES.contains(&name.as_str()))
        .collect();
    assert!(wrong.is_empty(), "the station depends on {wrong:?}");
    // The window stands on the station, not on the command line's crate;
    // no crate of ours depends on a shell.
    let window = dependencies("src-tauri/Cargo.toml");
    assert!(window.iter().any(|(n, _)| n == "gatehouse-api"));
    for manifest in [
        "src-tauri/Cargo.toml",
        "crates/gatehouse-api/Cargo.toml",
        "crates/gatehouse-sync/Cargo.toml",
        "crates/gatehouse-core/Cargo.toml",
    ] {
        let shells: Vec<String> = dependencies(manifest)
            .into_iter()
            .filter(|(name, _)| name == "gatehouse" || name == "gatehouse-app")
            .map(|(name, _)| name)
            .collect();
        assert!(shells.is_empty(), "{manifest} depends on {shells:?}");
    }
}

/// The command line's crate (`src/`): its modules over the station's. A
/// folder it shares with the station (`registry`, `sync`, …) re-exports the
/// station's and adds its commands and routes; the station's module stands
/// for the folder.
#[test]
fn the_commands_have_no_import_cycle() {
    let mut all = modules();
    for (m, file) in modules_in(&root().join("src")) {
        all.entry(m).or_insert(file);
    }
    let graph: BTreeMap<String, BTreeSet<String>> = all
        .iter()
        .map(|(m, f)| (m.clone(), imports(m, f, &all)))
        .collect();
    // The parser's sanity check: the CLI reaches the registry's commands,
    // and these the station's registry.
    assert!(graph["cli"].contains("registry::cli"), "{:?}", graph["cli"]);
    assert!(graph["registry::cli"].contains("registry::import"));
    let found = cycles(&graph);
    assert!(found.is_empty(), "import cycles in the commands: {found:?}");
}
