#!/usr/bin/env bash
# The README's "Going live", step by step, from an empty hub to a paired desk and gate and a
# green scan, with the commands the README gives beside each console step. Run by
# tests/going_live.rs (so by `cargo test` and `make test`); GATEHOUSE_BIN names the binary.
# Keep it in step with the README: each "Step N" here is the README's step N.
set -euo pipefail
bin="${GATEHOUSE_BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/debug/gatehouse}"
dir=$(mktemp -d)
hub_pid=""
trap '[ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; rm -rf "$dir"' EXIT
hub="$dir/hub.db"
fail() { echo "going live: $*" >&2; exit 1; }
gh() { local db=$1; shift; "$bin" --db "$db" "$@"; }

# Step 1: the event's first day (today here, for the green scan), no demo attendees.
gh "$hub" demo --attendees 0 --starting today > /dev/null

# (Going live before step 2 is refused, saying how to change the PINs.)
if gh "$hub" pair --role gate 2> "$dir/refused"; then fail "pair accepted the demo PINs"; fi
grep -q "gatehouse staff pin NOM" "$dir/refused" || fail "the refusal does not say how: $(cat "$dir/refused")"

# Step 2: a new PIN for each demo account (8 digits for admins and supervisors, 6 for the
# others), and an account for each officer. The PIN is asked for, or read on stdin.
printf '41502963\n' | gh "$hub" staff pin "Admin démo" > /dev/null
printf '62079148\n' | gh "$hub" staff pin "Superviseur démo" > /dev/null
printf '715204\n' | gh "$hub" staff pin "Accueil démo" > /dev/null
printf '803317\n' | gh "$hub" staff pin "Contrôle démo" > /dev/null
printf '604918\n' | gh "$hub" staff add "Awa Traoré" --role gate > /dev/null
if printf '6049\n' | gh "$hub" staff add "Bina Coulibaly" --role desk 2> "$dir/short"; then
  fail "a four-digit desk PIN was accepted"
fi
grep -q "de 6 à 12 chiffres" "$dir/short" || fail "the refusal does not name the rule: $(cat "$dir/short")"
gh "$hub" staff list | grep -q "PIN de démonstration" && fail "a demo PIN is left"

# Step 3: the pre-registrations.
printf 'Prénom;Nom;Société;Pays;Catégorie;Email\nAwa;Diallo;Sotelma;Mali;VIS;awa@sotelma.example\n' > "$dir/people.csv"
gh "$hub" import "$dir/people.csv" > /dev/null

# Step 4: the hub, one pairing code per station, each station joining on a fresh database.
# The binary itself in the background (not through `gh`: `$!` would be a subshell's, and
# the trap would leave the hub running).
"$bin" --db "$hub" --json hub --listen 127.0.0.1:0 > "$dir/hub.out" 2> /dev/null &
hub_pid=$!
for _ in $(seq 100); do [ -s "$dir/hub.out" ] && break; sleep 0.1; done
url=$(sed -n 's/.*"url": *"\([^"]*\)".*/\1/p' "$dir/hub.out" | head -n 1)
[ -n "$url" ] || fail "the hub printed no address"
for role in desk gate; do
  # The short code the hub shows in large type is all a station needs.
  code=$(gh "$hub" --json pair --role "$role" --name "Poste $role" | sed -n 's/.*"short": *"\([^"]*\)".*/\1/p')
  [ -n "$code" ] || fail "pair printed no short code"
  gh "$dir/$role.db" join "$url" "$code" > /dev/null
  gh "$dir/$role.db" sync > /dev/null
done

# Step 5: the rehearsal. The desk issues the badge; the gate, synced, admits it (green).
token=$(gh "$dir/desk.db" token BMX-000001)
gh "$dir/desk.db" sync > /dev/null
gh "$dir/gate.db" sync > /dev/null
verdict=$(gh "$dir/gate.db" --json scan --zone HALL "$token")
echo "$verdict" | grep -q '"decision": *"admit"' || fail "the gate did not admit the badge: $verdict"
# The gate holds its officers' and supervisors' PIN hashes only.
roles=$(sqlite3 "$dir/gate.db" "SELECT DISTINCT role FROM staff WHERE pin_hash != '' ORDER BY role" | tr '\n' ' ')
[ "$roles" = "gate supervisor " ] || fail "the gate holds PIN hashes of: $roles"
echo "going live: a green scan at the paired gate"
