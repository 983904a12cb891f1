#!/usr/bin/env bash
# Installs a Gatehouse .deb into a clean Debian 12 root, as a venue's laptop
# would get it (`apt-get install ./gatehouse_….deb`, which pulls WebKitGTK and
# the rest from Debian's mirror), then uses what was installed: the CLI in the
# PATH (--version, demo, a badge's token verified at the gate), the hub's unit
# and its owner-only state directory, and the window under Xvfb, screenshot
# kept for a human to look at.
#
#   tests/package_install.sh target/gatehouse_0.1.0_amd64.deb [OUT_DIR]
#
# Needs root (mmdebstrap's root mode mounts /proc and /dev for the hooks) and
# Debian's mirror. Prints the .deb's size and the install's time; leaves
# OUT_DIR/screenshot.xwd (and .png where ImageMagick is at hand) and
# OUT_DIR/report.txt. Takes a few minutes: most of it is downloading WebKitGTK.
set -euo pipefail

if [ "${1:-}" = --inside ]; then
    # ---- run inside the fresh root, after the package was installed --------
    set -x
    test -x /usr/bin/gatehouse && test -x /usr/bin/gatehouse-app
    if command -v cargo || command -v rustc || command -v cc; then exit 1; fi   # no compiler here
    gatehouse --version
    export GATEHOUSE_DB=/tmp/station/gatehouse.db
    mkdir -p /tmp/station
    gatehouse --lang en demo --starting today --attendees 20
    token=$(gatehouse token BMX-000001)
    verdict=$(gatehouse --json verify --zone HALL "$token")
    echo "$verdict"
    echo "$verdict" | grep -q '"decision"'
    # The desktop entry, in French and English, and its icon.
    desktop=$(ls /usr/share/applications/*.desktop)
    grep -q '^Exec=gatehouse-app' "$desktop"
    grep -q '^GenericName\[fr\]=' "$desktop"
    grep -q '^GenericName=' "$desktop"
    ls /usr/share/icons/hicolor/*/apps/gatehouse-app.png
    # The hub's unit: shipped, not enabled; its user and owner-only directory.
    unit=/usr/lib/systemd/system/gatehouse-hub.service
    grep -q '^ExecStart=/usr/bin/gatehouse --db /var/lib/gatehouse/hub.db hub --listen' "$unit"
    if ls /etc/systemd/system/*/gatehouse-hub.service 2>/dev/null; then exit 1; fi   # disabled
    getent passwd gatehouse
    [ "$(stat -c '%U %a' /var/lib/gatehouse)" = "gatehouse 700" ]
    # The unit's command, as its user, answers as a hub (a few seconds).
    hub() { runuser -u gatehouse -- gatehouse --db /var/lib/gatehouse/hub.db --lang en "$@"; }
    hub demo --attendees 5 --starting today >/dev/null
    for who in "Admin démo" "Accueil démo" "Contrôle démo" "Superviseur démo"; do
        echo 86420975 | hub staff pin "$who"   # the hub refuses the demo's PINs
    done
    (hub_run() { runuser -u gatehouse -- timeout 10 gatehouse --db /var/lib/gatehouse/hub.db \
        --lang en hub --listen 127.0.0.1:7443; }; hub_run > /tmp/hub.out 2>&1 || true)
    cat /tmp/hub.out
    grep -q '^Sync hub: https://' /tmp/hub.out
    # The window under Xvfb: Xvfb writes its screen as an XWD file (-fbdir).
    mkdir -p /tmp/fb
    xvfb-run -a -s "-screen 0 1280x800x24 -fbdir /tmp/fb" sh -c '
        gatehouse-app > /tmp/app.log 2>&1 & pid=$!
        sleep 25
        kill -0 $pid || { echo "gatehouse-app exited:"; cat /tmp/app.log; exit 1; }
        cp /tmp/fb/Xvfb_screen0 /tmp/screenshot.xwd
        kill $pid'
    exit 0
fi

deb=$(realpath "${1:?usage: tests/package_install.sh GATEHOUSE.deb [OUT_DIR]}")
out=$(realpath -m "${2:-$(dirname "$deb")/package-test}")
[ "$(id -u)" = 0 ] || { echo "package_install.sh needs root (mmdebstrap's root mode)"; exit 1; }
command -v mmdebstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap; }
mkdir -p "$out"
work=$(mktemp -d /var/tmp/gatehouse-root.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
name=$(basename "$deb")
self=$(realpath "$0")

started=$(date +%s)
# The root: Debian 12's essential packages and apt, plus what the test itself
# uses (Xvfb); no compiler. Then the .deb goes in as a venue's IT would do it.
mmdebstrap --variant=apt --include=xvfb,xauth,ca-certificates \
    --customize-hook="copy-in $deb /tmp" \
    --customize-hook="copy-in $self /tmp" \
    --customize-hook='s=$(date +%s); chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/'"$name"' >&2; echo $(( $(date +%s) - s )) > "$1/tmp/install-seconds"' \
    --customize-hook='chroot "$1" bash /tmp/package_install.sh --inside >&2' \
    --customize-hook="copy-out /tmp/screenshot.xwd $out" \
    --customize-hook="copy-out /tmp/install-seconds $out" \
    bookworm "$work/root"
total=$(( $(date +%s) - started ))
install=$(cat "$out/install-seconds")
size=$(stat -c %s "$deb")
command -v convert >/dev/null && convert "xwd:$out/screenshot.xwd" "$out/screenshot.png" || true
{
    echo "package: $name, $(( size / 1024 / 1024 )) MiB ($size bytes)"
    echo "apt-get install ./$name into a clean Debian 12 root: ${install} s (downloads included)"
    echo "whole test (root built, installed, used): ${total} s"
    echo "screenshot: $out/screenshot.xwd"
} | tee "$out/report.txt"
