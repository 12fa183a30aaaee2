#!/usr/bin/env bash
# Builds the release portal and serves the built-in catalogue at http://127.0.0.1:3000
# (override with CAIRN_ADDRESS, add a team folder with CAIRN_CONTENT).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CAIRN_ROOT"
.ci/install.sh
cargo leptos build --release --split --precompress
exec "$CAIRN_BIN" --site-root "$CAIRN_SITE_ROOT" "$@"
