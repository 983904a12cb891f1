//! The README's "Going live" as a script (`tests/going_live.sh`), run against this build:
//! from an empty hub, through real PINs, to a paired desk and gate and a green scan.

#[test]
fn the_readme_going_live_steps_end_in_a_green_scan() -> Result<(), Box<dyn std::error::Error>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/going_live.sh");
    let out = std::process::Command::new("bash")
        .arg(script)
        .env("GATEHOUSE_BIN", env!("CARGO_BIN_EXE_gatehouse"))
        .env_remove("GATEHOUSE_DB")
        .output()?;
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("green scan"));
    Ok(())
}
