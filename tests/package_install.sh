#!/usr/bin/env bash
# Installs a Gatehouse .deb into a clean Debian 12 root, as a venue's laptop
# would get it (`apt-get install ./gatehouse_….deb`, which pulls WebKitGTK and
# the rest from Debian's mirror), then uses what was installed: the CLI in the
# PATH (--version, demo, a badge's token verified at the gate), `gatehouse
# serve` answering over HTTP (first start, then the demo's event), the hub's
# unit and its owner-only state directory, the autostart entry (hidden), and
# the window under Xvfb twice (first start, then the demo station),
# screenshots kept for a human to look at.
#
#   tests/package_install.sh target/gatehouse_0.1.0_amd64.deb [OUT_DIR]
#
# Needs root (mmdebstrap's root mode mounts /proc and /dev for the hooks) and
# Debian's mirror. The downloaded .debs are kept in APT_CACHE (default
# OUT_DIR/apt-cache) so a second run downloads only what changed: the first
# run's install time is the one a venue sees. Prints the .deb's size and the
# install's time; leaves OUT_DIR/first-start.png, OUT_DIR/station.png (XWD
# where netpbm is missing) and OUT_DIR/report.txt.
set -euo pipefail

if [ "${1:-}" = --inside ]; then
    # ---- run inside the fresh root, after the package was installed --------
    set -x
    test -x /usr/bin/gatehouse && test -x /usr/bin/gatehouse-app
    for c in cc gcc c++ clang rustc cargo; do     # no compiler here
        if command -v "$c"; then echo "a compiler is installed: $c"; exit 1; fi
    done
    gatehouse --version
    # GET over bash's /dev/tcp (no curl in the root): prints the body.
    get() {
        exec 3<>"/dev/tcp/127.0.0.1/$1"
        printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\n\r\n' "$2" >&3
        sed '1,/^\r$/d' <&3
        exec 3<&-
    }
    # Ports and displays are picked free at the time (port 0, Xvfb -displayfd):
    # the root shares the machine's network, where a second test run may be
    # serving or drawing at the same moment.
    serve_and_get() {   # PATH: starts serve on the station's database, GETs PATH, stops it
        gatehouse --lang en serve --listen 127.0.0.1:0 > /tmp/serve.out 2>&1 & local pid=$!
        local port=
        for _ in $(seq 120); do
            port=$(sed -n 's|^Gatehouse — .* — http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' /tmp/serve.out)
            [ -n "$port" ] && break
            kill -0 $pid || { cat /tmp/serve.out; return 1; }
            sleep 0.5
        done
        [ -n "$port" ] || { echo "serve printed no address:"; cat /tmp/serve.out; return 1; }
        get "$port" "$1"
        kill $pid; wait $pid || true
    }
    # The window under Xvfb: Xvfb writes its screen as an XWD file (-fbdir).
    window_screenshot() {   # NAME
        mkdir -p /tmp/fb
        rm -f /tmp/display
        Xvfb -displayfd 3 -screen 0 1280x800x24 -fbdir /tmp/fb -nolisten tcp 3>/tmp/display & local xvfb=$!
        for _ in $(seq 60); do [ -s /tmp/display ] && break; sleep 0.5; done
        [ -s /tmp/display ] || { echo "Xvfb did not start"; return 1; }
        DISPLAY=":$(head -n1 /tmp/display)" gatehouse-app > /tmp/app.log 2>&1 & local pid=$!
        sleep 30
        kill -0 $pid || { echo "gatehouse-app exited:"; cat /tmp/app.log; kill $xvfb; return 1; }
        cp /tmp/fb/Xvfb_screen0 /tmp/"$1".xwd
        kill $pid; wait $pid || true
        kill $xvfb; wait $xvfb || true
    }
    export GATEHOUSE_DB=/tmp/station/gatehouse.db
    mkdir -p /tmp/station

    # First start: an empty station offers the choice, over HTTP and in the window.
    serve_and_get /api/first-start | tee /tmp/first-start.json
    grep -q '"empty":true' /tmp/first-start.json
    window_screenshot first-start

    # The demo: an event, badges, a verdict, served over HTTP.
    rm -f /tmp/station/gatehouse.db*
    gatehouse --lang en demo --starting today --attendees 20
    token=$(gatehouse token BMX-000001)
    verdict=$(gatehouse --json verify --zone HALL "$token")
    echo "$verdict"
    echo "$verdict" | grep -q '"decision"'
    serve_and_get /api/event | tee /tmp/event.json
    grep -q '"name"' /tmp/event.json
    window_screenshot station

    # The desktop entry, in French and English, and its icon.
    desktop=$(ls /usr/share/applications/*.desktop)
    grep -q '^Exec=gatehouse-app' "$desktop"
    grep -q '^GenericName\[fr\]=' "$desktop"
    grep -q '^GenericName=' "$desktop"
    ls /usr/share/icons/hicolor/*/apps/gatehouse-app.png
    # The kiosk's autostart entry: installed, off for everyone until chosen.
    grep -qx 'Hidden=true' /etc/xdg/autostart/gatehouse-kiosk.desktop
    grep -q '^Exec=systemd-run .*/usr/bin/gatehouse-app --kiosk$' /etc/xdg/autostart/gatehouse-kiosk.desktop
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
        --lang en hub --listen 127.0.0.1:0; }; hub_run > /tmp/hub.out 2>&1 || true)
    cat /tmp/hub.out
    grep -q '^Sync hub: https://' /tmp/hub.out
    exit 0
fi

deb=$(realpath "${1:?usage: tests/package_install.sh GATEHOUSE.deb [OUT_DIR]}")
out=$(realpath -m "${2:-$(dirname "$deb")/package-test}")
[ "$(id -u)" = 0 ] || { echo "package_install.sh needs root (mmdebstrap's root mode)"; exit 1; }
command -v mmdebstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap; }
cache=$(realpath -m "${APT_CACHE:-$out/apt-cache}")
mkdir -p "$out" "$cache"
rm -f "$out"/*.xwd "$out"/*.png "$out/install-seconds"
cached=$(find "$cache" -name '*.deb' | wc -l)
# The root with WebKitGTK and its dependencies takes about 1.5 GB: say so
# plainly rather than let tar fail half-way through with ENOSPC.
free_kb=$(df -Pk /var/tmp | awk 'NR == 2 { print $4 }')
[ "$free_kb" -ge 2500000 ] || {
    echo "package_install.sh: /var/tmp has $((free_kb / 1024)) MB free; the Debian root needs about 2.5 GB" >&2
    exit 1; }
work=$(mktemp -d /var/tmp/gatehouse-root.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
name=$(basename "$deb")
self=$(realpath "$0")

started=$(date +%s)
# The root: Debian 12's essential packages and apt, plus what the test itself
# uses (Xvfb); no compiler. Then the .deb goes in as a venue's IT would do it.
mmdebstrap --variant=apt --include=xvfb,xauth,ca-certificates --skip=essential/unlink \
    --aptopt='APT::Keep-Downloaded-Packages "true"' \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
    --setup-hook="sync-in $cache /var/cache/apt/archives/" \
    --customize-hook="copy-in $deb /tmp" \
    --customize-hook="copy-in $self /tmp" \
    --customize-hook='s=$(date +%s); chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/'"$name"' >&2; echo $(( $(date +%s) - s )) > "$1/tmp/install-seconds"' \
    --customize-hook='rm -f "$1"/var/cache/apt/archives/gatehouse_*.deb' \
    --customize-hook="sync-out /var/cache/apt/archives $cache" \
    --customize-hook="copy-out /tmp/install-seconds $out" \
    --customize-hook='chroot "$1" bash /tmp/package_install.sh --inside >&2' \
    --customize-hook="copy-out /tmp/first-start.xwd $out" \
    --customize-hook="copy-out /tmp/station.xwd $out" \
    bookworm "$work/root"
total=$(( $(date +%s) - started ))
install=$(cat "$out/install-seconds")
size=$(stat -c %s "$deb")
shots=""
for s in first-start station; do
    if command -v xwdtopnm >/dev/null && command -v pnmtopng >/dev/null; then
        xwdtopnm "$out/$s.xwd" 2>/dev/null | pnmtopng > "$out/$s.png" && rm "$out/$s.xwd"
        shots="$shots $out/$s.png"
    else
        shots="$shots $out/$s.xwd"
    fi
done
{
    echo "package: $name, $(( size / 1024 / 1024 )) MiB ($size bytes)"
    if [ "$cached" = 0 ]; then
        echo "apt-get install ./$name into a clean Debian 12 root: ${install} s (every dependency downloaded from the mirror)"
    else
        echo "apt-get install ./$name into a clean Debian 12 root: ${install} s ($cached .debs from the cache $cache)"
    fi
    echo "whole test (root built, installed, used): ${total} s"
    echo "screenshots:$shots"
} | tee "$out/report.txt"
