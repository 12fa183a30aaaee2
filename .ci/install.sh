#!/usr/bin/env bash
# Installs what building and testing Cairn needs, skipping whatever is already present.
#   .ci/install.sh          tools to build and run the portal
#   .ci/install.sh --test   also what the tests use: Chromium and nginx from Debian, and the
#                           Kubernetes manifest validator from PyPI
# Nothing here downloads a prebuilt binary: Rust tools come from crates.io, wasm-opt from
# npm's binaryen, Chromium and nginx from Debian, kubernetes-validate from PyPI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CAIRN_ROOT"

step() { printf '\n== %s\n' "$*"; }

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  step "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 16 minutes, once per machine)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must match Cargo.lock)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  step "Installing npm packages (Playwright, axe, binaryen's wasm-opt)"
  (cd end2end && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--test" ]; then
  # Debian packages the tests use: Chromium for the browser tests, nginx as the load balancer
  # in the failover test and the reference server in the benchmarks, wrk and brotli for the
  # benchmark smoke run.
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  # The benchmark suite's smoke run (bench/run.sh --quick).
  command -v wrk >/dev/null || missing+=(wrk)
  command -v brotli >/dev/null || missing+=(brotli)
  if [ "${#missing[@]}" -gt 0 ]; then
    step "Installing Debian's ${missing[*]} for the tests"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
  fi

  # The Kubernetes manifest validator (deploy/validate.sh), with the API schemas bundled so it
  # works offline; in its own virtual environment, apart from the system's Python.
  KUBERNETES_VALIDATE_VERSION=1.37.0
  VENV="$HOME/.cache/cairn/venv"
  if [ "$("$VENV/bin/kubernetes-validate" --version 2>/dev/null | awk '{print $NF}')" != "$KUBERNETES_VALIDATE_VERSION" ]; then
    step "Installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $VENV"
    [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  fi
fi

if [ "${1:-}" = "--test" ] && { [ ! -d bench/node_modules ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; }; then
  step "Installing the benchmark's npm packages (Lighthouse, Playwright)"
  (cd bench && npm ci --no-audit --no-fund)
fi
