# Gatehouse: `make run` sets up and runs the app, `make test` sets up and runs
# every test. Both install what is missing on Debian 12 / Ubuntu 22.04+.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PATH := $(HOME)/.cargo/bin:$(PATH)

APT_BUILD := libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev \
  libgtk-3-dev librsvg2-dev build-essential pkg-config libssl-dev curl ca-certificates
APT_TEST := xvfb xauth webkit2gtk-driver chromium zbar-tools poppler-utils python3-venv sqlite3 faketime \
  cups cups-client cups-ipp-utils printer-driver-cups-pdf fonts-noto-core postgresql \
  mmdebstrap netpbm pulseaudio

# Where `make run` keeps its database unless GATEHOUSE_DB says otherwise.
GATEHOUSE_DB ?= $(HOME)/.local/share/gatehouse/gatehouse.db
export GATEHOUSE_DB

# CI builds once from a clean clone: incremental caches would only cost disk
# (several GB beside the test binaries) and time.
ifdef CI
export CARGO_INCREMENTAL := 0
endif

.PHONY: run test bench bench-ui bench-pg package package-debug package-test setup setup-test apt-build apt-test cups rust node ui build lint fuzz e2e e2e-web e2e-tauri

## The app: the desktop window on a display, else `gatehouse serve`.
run: setup build
	@if [ ! -s "$(GATEHOUSE_DB)" ]; then target/debug/gatehouse demo --starting today; fi
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  exec target/debug/gatehouse-app; \
	else \
	  echo "No display: serving the UI to a browser instead."; \
	  exec target/debug/gatehouse serve --listen "$${GATEHOUSE_LISTEN:-127.0.0.1:8080}"; \
	fi

## Every test: formatting, lints, Rust tests, UI checks and tests, both end-to-end
## paths, and the debug package installed into a clean Debian 12 root.
test: setup-test build
	$(MAKE) lint
	cargo test --workspace
	$(MAKE) fuzz
	cd ui && npm run check && npm test
	$(MAKE) e2e-web e2e-tauri
	$(MAKE) package-test PACKAGE=debug

## The performance figures of a release build on this machine, its scratch
## databases beside $(GATEHOUSE_DB) (the disk the station writes to), compared
## with the committed bench/baseline.json: fails if a figure is more than 25 %
## worse or misses its target. The figures: target/bench/latest.json.
bench: apt-build rust
	cargo build --release --bin gatehouse
	mkdir -p target/bench
	target/release/gatehouse --db "$(GATEHOUSE_DB)" --json bench > target/bench/latest.json
	python3 bench/compare.py bench/baseline.json target/bench/latest.json

## The gate's verdict path as an officer sees it, in Chromium on a release `serve` and
## in the release window (tauri-driver, under Xvfb where there is no display), each
## database beside $(GATEHOUSE_DB): scanner bursts, the time from Enter to the
## painted verdict (p50/p95/max, where it goes), against the 50 ms goal.
bench-ui: apt-build apt-test rust node ui
	@# One build for both: built apart, each resolves its own features and the
	@# dependencies they share are compiled twice.
	cargo build --release -p gatehouse --bin gatehouse -p gatehouse-app --bin gatehouse-app
	cd tests/e2e && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; }
	command -v tauri-driver >/dev/null || cargo install --locked tauri-driver
	mkdir -p target/bench
	rc=0; node tests/e2e/bench/verdict.mjs --scans $${SCANS:-200} --json target/bench/ui.json || rc=1; \
	  if [ -n "$${DISPLAY:-}" ]; then run=; else run='xvfb-run -a -s "-screen 0 1280x800x24"'; fi; \
	  eval $$run node tests/e2e/bench/verdict.mjs --window --scans $${SCANS:-200} --json target/bench/ui-window.json || rc=1; \
	  exit $$rc

## Issue 18's figures for hubs on PostgreSQL (tests/bench_pg.rs): a cluster in a
## temporary folder, two release `gatehouse hub` processes on it, 200 station
## origins x 5,000 scans through the real HTTP sync protocol, and a new
## station's first sync of a 1,000,000-attendee registry. Prints figures
## (BENCH_STATIONS, BENCH_SCANS, BENCH_ATTENDEES, BENCH_PULL=0 change them).
bench-pg: apt-build apt-test rust
	mkdir -p target/bench
	cargo test --release --test bench_pg -- --ignored --nocapture | tee target/bench/pg.txt

## The Debian package, target/gatehouse_<version>_amd64.deb: release binaries
## (stripped, the UI embedded), bundled by the Tauri bundler (@tauri-apps/cli,
## a devDependency of ui/) from tauri.conf.json's `bundle` and packaging/: the
## window and the CLI in /usr/bin, the desktop entry (French and English) and
## icon, gatehouse-hub.service (disabled), WebKitGTK & co. as dependencies.
## Needs no network once `make setup` has run.
VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -n1)
DEB := target/gatehouse_$(VERSION)_amd64.deb
TAURI := ui/node_modules/.bin/tauri
DEB_FILES_DEBUG := {"bundle":{"linux":{"deb":{"files":{"/usr/bin/gatehouse":"target/debug/gatehouse",\
  "/usr/lib/systemd/system/gatehouse-hub.service":"packaging/gatehouse-hub.service",\
  "/etc/xdg/autostart/gatehouse-kiosk.desktop":"packaging/gatehouse-kiosk.desktop"}}}}}
package: setup
	cargo build --release -p gatehouse --bin gatehouse -p gatehouse-app --bin gatehouse-app \
	  --features tauri/custom-protocol
	CI=true $(TAURI) bundle --bundles deb
	cp target/release/bundle/deb/Gatehouse_$(VERSION)_amd64.deb $(DEB)
	@ls -l $(DEB)

## The same package from the debug binaries `make build` leaves (unstripped,
## bigger; no release build): target/debug/gatehouse_<version>_amd64.deb.
package-debug: setup build
	CI=true $(TAURI) bundle --debug --bundles deb --config '$(DEB_FILES_DEBUG)'
	cp target/debug/bundle/deb/Gatehouse_$(VERSION)_amd64.deb target/debug/gatehouse_$(VERSION)_amd64.deb
	@ls -l target/debug/gatehouse_$(VERSION)_amd64.deb

## Installs the package into a clean Debian 12 root (mmdebstrap) and uses it:
## the CLI, serve over HTTP, the hub's unit, the window under Xvfb (first
## start and the demo station: screenshots and report.txt in
## target/package-test/, or target/package-test-debug/). PACKAGE=debug tests
## the debug package instead: `make test` does, from the binaries it built
## (no release build; the root's .debs are cached there after the first run).
PACKAGE ?= release
package-test:
	@if [ "$(PACKAGE)" = debug ]; then $(MAKE) package-debug; else $(MAKE) package; fi
	$(SUDO) bash tests/package_install.sh $$([ "$(PACKAGE)" = debug ] && \
	  echo target/debug/gatehouse_$(VERSION)_amd64.deb target/package-test-debug || \
	  echo $(DEB) target/package-test)

setup: apt-build rust node ui
setup-test: setup apt-test cups
	cd tests/e2e && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; }
	command -v tauri-driver >/dev/null || cargo install --locked tauri-driver
	@# pycose, the independent COSE implementation the token interop test checks against
	[ -x tests/interop/.venv/bin/python ] || { python3 -m venv tests/interop/.venv && \
	  tests/interop/.venv/bin/pip install -q -r tests/interop/requirements.txt; }

apt-build:
	@missing=$$(for p in $(APT_BUILD); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

apt-test:
	@missing=$$(for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

## CUPS for the print tests, with two virtual queues (idempotent):
## GatehousePDF (cups-pdf: writes each job as a PDF under ~/PDF) and
## GatehouseOffline (a printer on a port nobody answers).
cups:
	@LC_ALL=C lpstat -r | grep -qx "scheduler is running" || \
	  $(SUDO) service cups start >/dev/null 2>&1 || $(SUDO) cupsd
	@for i in $$(seq 40); do LC_ALL=C lpstat -r | grep -qx "scheduler is running" && break; sleep 0.25; done
	@lpstat -v GatehousePDF >/dev/null 2>&1 || $(SUDO) lpadmin -p GatehousePDF -E \
	  -v cups-pdf:/ -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null
	@lpstat -v GatehouseOffline >/dev/null 2>&1 || $(SUDO) lpadmin -p GatehouseOffline -E \
	  -v socket://127.0.0.1:9 -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null

rust:
	@command -v cargo >/dev/null || { curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy; }
	@rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add rustfmt clippy

node:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	cd ui && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; }

ui:
	cd ui && npm run build

build:
	cargo build --workspace

## Formatting, clippy, and the code's directions (tests/layers.rs): which crate
## may depend on which (the station names no shell, nothing imports a shell, the
## core and the sync protocol no storage, server or clock), no import cycle.
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --test layers

## The fuzz targets (tests/fuzz), 20 s each, where a nightly toolchain and
## cargo-fuzz are installed; on stable, tests/parsers_any_bytes.rs feeds the
## same parsers arbitrary bytes through proptest in `cargo test`.
fuzz:
	@if cargo +nightly fuzz --version >/dev/null 2>&1; then \
	  for t in token_parser import_table sync_request; do \
	    cargo +nightly fuzz run --fuzz-dir tests/fuzz $$t -- -max_total_time=20 || exit 1; \
	  done; \
	else echo "fuzz: no nightly toolchain with cargo-fuzz here; the proptest counterparts ran in cargo test"; fi

e2e: e2e-web e2e-tauri

e2e-web:
	cd tests/e2e && npx playwright test

e2e-tauri:
	xvfb-run -a -s "-screen 0 1280x800x24" node --test tests/e2e/tauri/
