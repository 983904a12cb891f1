//! Kiosk stations starting by themselves: the XDG autostart entry that
//! opens `gatehouse-app --kiosk` when the station's user session starts
//! (after a reboot, with automatic login), run as a transient systemd user
//! service restarted when it fails (a crash; a PIN-confirmed close exits 0
//! and stays closed). Plain text from arguments: `gatehouse kiosk enable`
//! writes it (see `cli.rs`).
//!
//! The package installs the same entry, hidden (`Hidden=true`), as
//! `/etc/xdg/autostart/gatehouse-kiosk.desktop`: present but off for every
//! user. The XDG autostart spec lets a user's own file of the same name in
//! `~/.config/autostart/` replace it, which is what `enable` writes (and
//! `disable` removes): a per-user, per-laptop choice that needs no root.

/// The autostart file's name (the same in `/etc/xdg/autostart` and
/// `~/.config/autostart`, so the user's replaces the system's).
pub const AUTOSTART_FILE: &str = "gatehouse-kiosk.desktop";

/// The transient systemd user unit the kiosk window runs as.
pub const UNIT: &str = "gatehouse-kiosk";

/// The autostart entry for `gatehouse-app --kiosk ARGS…` (`app`: the
/// window's absolute path); `hidden` for the package's disabled copy.
pub fn autostart_entry(app: &str, args: &[String], hidden: bool) -> String {
    // The session's display reaches the service; the service restarts the
    // window when it fails, not when a PIN closed it (exit status 0).
    let mut exec = vec![
        "systemd-run".to_string(),
        "--user".into(),
        format!("--unit={UNIT}"),
        "--collect".into(),
        "--property=Restart=on-failure".into(),
        "--property=RestartSec=3".into(),
        "--setenv=DISPLAY".into(),
        "--setenv=WAYLAND_DISPLAY".into(),
        "--setenv=XAUTHORITY".into(),
        "--setenv=XDG_RUNTIME_DIR".into(),
        "--setenv=DBUS_SESSION_BUS_ADDRESS".into(),
        app.to_string(),
        "--kiosk".into(),
    ];
    exec.extend(args.iter().cloned());
    let exec: Vec<String> = exec.iter().map(|a| quote(a)).collect();
    format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Gatehouse kiosk\n\
         Name[fr]=Gatehouse kiosque\n\
         Comment=Opens this station's Gatehouse screen in kiosk mode when the session starts\n\
         Comment[fr]=Ouvre l'écran Gatehouse de ce poste en mode kiosque à l'ouverture de session\n\
         Exec={}\n\
         Icon=gatehouse-app\n\
         Terminal=false\n\
         X-GNOME-Autostart-enabled={}\n\
         Hidden={}\n",
        exec.join(" "),
        !hidden,
        hidden
    )
}

/// One argument of a desktop entry's `Exec` line: quoted (with `"`, `` ` ``,
/// `$` and `\` escaped) when it holds a reserved character, and `%` doubled.
fn quote(arg: &str) -> String {
    let arg = arg.replace('%', "%%");
    let reserved = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\''
                    | '\\'
                    | '>'
                    | '<'
                    | '~'
                    | '|'
                    | '&'
                    | ';'
                    | '$'
                    | '*'
                    | '?'
                    | '#'
                    | '('
                    | ')'
                    | '`'
            )
    };
    if arg.is_empty() || arg.chars().any(reserved) {
        let mut out = String::from("\"");
        for c in arg.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    } else {
        arg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_runs_the_kiosk_window_restarted_on_failure() {
        let e = autostart_entry(
            "/usr/bin/gatehouse-app",
            &[
                "--role".into(),
                "gate".into(),
                "--zone".into(),
                "HALL".into(),
            ],
            false,
        );
        assert!(e.contains("Exec=systemd-run --user --unit=gatehouse-kiosk --collect --property=Restart=on-failure"));
        assert!(e.contains("/usr/bin/gatehouse-app --kiosk --role gate --zone HALL\n"));
        assert!(e.contains("Hidden=false\n"));
        assert!(autostart_entry("/usr/bin/gatehouse-app", &[], true).contains("Hidden=true\n"));
    }

    #[test]
    fn arguments_are_quoted_as_the_desktop_entry_spec_says() {
        assert_eq!(
            quote("/home/awa/Mes bases/poste.db"),
            "\"/home/awa/Mes bases/poste.db\""
        );
        assert_eq!(quote("a$b"), "\"a\\$b\"");
        assert_eq!(quote("100%"), "100%%");
        assert_eq!(quote("HALL"), "HALL");
    }
}
