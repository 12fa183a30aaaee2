# Shared environment for the build, run and test scripts. Source it; do not run it.

# The cargo target directory survives between clones and CI runs on this machine, so a
# fresh checkout does not pay for a cold build of every dependency.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cairn/target}"
export PATH="$HOME/.cargo/bin:$PATH"
# wasm-opt comes from npm's binaryen (Debian's binaryen 108 builds WASM that breaks hydration).
CAIRN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CAIRN_ROOT
export PATH="$CAIRN_ROOT/end2end/node_modules/.bin:$PATH"
# Where `cargo leptos build --release --split --precompress` leaves the server and the front end.
export CAIRN_BIN="$CARGO_TARGET_DIR/release/cairn"
export CAIRN_SITE_ROOT="$CAIRN_ROOT/target/site"
