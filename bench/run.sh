#!/usr/bin/env bash
# Cairn's side-by-side benchmark suite: pages against nginx, search over HTTP, start-up,
# front-end bytes, Lighthouse and instant-search latency, in one run, one table.
#
#   bench/run.sh            full run: builds the release server first (minutes)
#   bench/run.sh --quick    smoke mode for CI: no build, tiny loads, under a minute; figures are
#                           not meaningful, only that every step still runs and prints
#   bench/run.sh --only pages,search   only these steps (pages, search, startup, frontend,
#                           lighthouse, instant); combine with --quick; --no-build skips the build
#   CAIRN_BENCH_PORT=4100 bench/run.sh  use ports 4100-4119 instead of 3950-3969
#
# The table goes to stdout and to bench/results/latest.md; raw outputs (wrk, Lighthouse
# reports and their failing audits, latency samples) go next to it. It measures and
# never asserts a speed: read bench/README.md for what each figure means and how noisy
# a shared machine makes it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/env.sh"
cd "$CAIRN_ROOT"

QUICK=0
BUILD=1
ONLY=""
STEPS="pages search startup frontend lighthouse instant"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --only)
      ONLY="${2:-}"; shift
      for step in ${ONLY//,/ }; do
        [[ " $STEPS " == *" $step "* ]] || { echo "unknown step: $step (steps: $STEPS)" >&2; exit 2; }
      done
      ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (use --quick, --no-build, --only STEPS)" >&2; exit 2 ;;
  esac
  shift
done
# Whether step $1 runs in this invocation.
want() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

# Ports BASE..BASE+19 belong to this suite (3950 unless CAIRN_BENCH_PORT says otherwise).
PORT_BASE=${CAIRN_BENCH_PORT:-3950}
CAIRN_PORT=$PORT_BASE
NGINX_PORT=$((PORT_BASE + 1))
START_PORT=$((PORT_BASE + 2))
QUIET_PORT=$((PORT_BASE + 3))
PATTERN=/patterns/circuit-breaker      # a pattern page without a widget
WIDGET=/patterns/cache-aside           # a pattern page with a widget island
SEARCH_PAGE='/search?q=cache'
# The front-end steps look at every page type: no widget, each widget, two widgets.
# (PATTERN above has the circuit-breaker widget.)
PLAIN_PATTERN=/patterns/cap-theorem
ESTIMATE_PAGE=/patterns/back-of-the-envelope
BREAKER_PAGE=/patterns/circuit-breaker
TWO_WIDGETS=/patterns/url-shortener
if [ "$QUICK" = 1 ]; then
  WRK_SECONDS=1; WRK_CONNECTIONS=8; ROUNDS=1; START_RUNS=1; TEAM_PAGES=200; TYPED_QUERIES=5
else
  WRK_SECONDS=10; WRK_CONNECTIONS=64; ROUNDS=3; START_RUNS=3; TEAM_PAGES=10000; TYPED_QUERIES=50
fi

BENCH="$CAIRN_ROOT/bench"
RESULTS="$BENCH/results"
mkdir -p "$RESULTS"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")"
# nginx workers run as an unprivileged user and must read the files served from here.
chmod 755 "$WORK"
STARTED_PIDS=()
NGINX_PID=""

cleanup() {
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  # SIGQUIT to the master ends its workers too.
  if [ -n "$NGINX_PID" ]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  [ -n "${CAIRN_BENCH_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 |"); }

# Median of the numbers given as arguments (the mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
round() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f", d, v }'; }

# Waits until URL answers 200, for at most SECONDS.
wait_ready() {
  local url=$1 seconds=$2 deadline
  deadline=$(($(date +%s) + seconds))
  until curl -sf -o /dev/null "$url"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "no 200 from $url within ${seconds}s" >&2
      return 1
    fi
    sleep 0.005
  done
}

# Starts Cairn on PORT with extra arguments; sets CAIRN_STARTED_PID. Logs go to WORK.
start_cairn() {
  local port=$1 log=$2
  shift 2
  "$CAIRN_BIN" --address "127.0.0.1:$port" --site-root "$CAIRN_SITE_ROOT" "$@" \
    >"$WORK/$log.out" 2>"$WORK/$log.err" &
  CAIRN_STARTED_PID=$!
  STARTED_PIDS+=("$CAIRN_STARTED_PID")
}
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# CPU time (user + system, in clock ticks) a process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Waits until PID has used under 5 % of a core for two half-seconds in a row (the pages
# compressed in the background after /readyz are done), at most LIMIT seconds; prints the
# seconds waited.
wait_idle() {
  local pid=$1 limit=$2 before after quiet=0 waited=0 hz
  hz=$(getconf CLK_TCK)
  before=$(cpu_ticks "$pid")
  while [ "$quiet" -lt 2 ] && awk -v w="$waited" -v l="$limit" 'BEGIN { exit !(w < l) }'; do
    sleep 0.5
    waited=$(awk -v w="$waited" 'BEGIN { print w + 0.5 }')
    after=$(cpu_ticks "$pid")
    if awk -v d="$((after - before))" -v hz="$hz" 'BEGIN { exit !(d <= hz * 0.5 * 0.05) }'; then
      quiet=$((quiet + 1))
    else
      quiet=0
    fi
    before=$after
  done
  echo "$waited"
}

# Runs wrk against URL with the named Accept-Encoding and prints
# "requests/s p50-ms p99-ms failures". Extra arguments go to wrk.
WRK_THREADS=2
run_wrk() {
  local name=$1 url=$2 encoding=$3
  shift 3
  local out="$RESULTS/wrk-$name.txt"
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --latency \
    -H "Accept-Encoding: $encoding" "$@" "$url" >"$out" 2>&1
  awk '
    function ms(text) {
      if (text ~ /us$/) return substr(text, 1, length(text) - 2) / 1000
      if (text ~ /ms$/) return substr(text, 1, length(text) - 2) + 0
      if (text ~ /s$/) return substr(text, 1, length(text) - 1) * 1000
      return text + 0
    }
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { failures += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) failures += $i + 0 }
    END { printf "%s %s %s %d\n", rps, p50, p99, failures }
  ' "$out"
}

if [ "$QUICK" = 0 ] && [ "$BUILD" = 1 ]; then
  say "Release build (server and WASM)"
  cargo leptos build --release --split --precompress
fi
for tool in wrk curl brotli gzip node /usr/sbin/nginx; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (Debian: wrk, curl, brotli, nginx)" >&2; exit 1; }
done
[ -x "$CAIRN_BIN" ] || { echo "no server binary at $CAIRN_BIN: run cargo leptos build --release" >&2; exit 1; }

MODE=$([ "$QUICK" = 1 ] && echo "quick (smoke: figures not meaningful)" || echo "full")
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RUN_STARTED=$(date +%s)

# ---------------------------------------------------------------------------------------
if want pages || want search; then
start_cairn "$CAIRN_PORT" cairn
CAIRN_PID=$CAIRN_STARTED_PID
wait_ready "http://127.0.0.1:$CAIRN_PORT/readyz" 60
fi
if want pages; then
say "Pages: Cairn against nginx serving the same bytes"
# The same release binary once more with request logging off, to show what it costs.
CAIRN_LOG=warn start_cairn "$QUIET_PORT" cairn-quiet
QUIET_PID=$CAIRN_STARTED_PID
wait_ready "http://127.0.0.1:$QUIET_PORT/readyz" 60

# Measure servers that have settled after start-up (allocator returning memory, etc.).
note "waited $(wait_idle "$CAIRN_PID" 120) s and $(wait_idle "$QUIET_PID" 120) s for the servers to go idle"

# The reference serves exactly what Cairn sent: the plain HTML and Cairn's own gzip bytes.
mkdir -p "$WORK/nginx/root/patterns" "$WORK/nginx/tmp"
PAGE_FILE="$WORK/nginx/root$PATTERN"
curl -sf -H 'Accept-Encoding: identity' "http://127.0.0.1:$CAIRN_PORT$PATTERN" -o "$PAGE_FILE"
curl -sf -H 'Accept-Encoding: gzip' "http://127.0.0.1:$CAIRN_PORT$PATTERN" -o "$PAGE_FILE.gz"
curl -sf -H 'Accept-Encoding: br' "http://127.0.0.1:$CAIRN_PORT$PATTERN" -o "$WORK/page.br"
gzip -dc "$PAGE_FILE.gz" | cmp -s - "$PAGE_FILE" || { echo "Cairn's gzip body is not its HTML" >&2; exit 1; }
brotli -dc "$WORK/page.br" | cmp -s - "$PAGE_FILE" || { echo "Cairn's brotli body is not its HTML" >&2; exit 1; }
CSP=$(curl -sf -D - -o /dev/null "http://127.0.0.1:$CAIRN_PORT$PATTERN" | tr -d '\r' |
  awk -F': ' 'tolower($1) == "content-security-policy" { print $2 }')
sed -e "s|@DIR@|$WORK/nginx|g" -e "s|@PORT@|$NGINX_PORT|g" -e "s|@CSP@|$CSP|g" \
  "$BENCH/nginx.conf.template" >"$WORK/nginx/nginx.conf"
/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' &
NGINX_PID=$!
wait_ready "http://127.0.0.1:$NGINX_PORT$PATTERN" 10
NGINX_GZIP=$(curl -sf -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$NGINX_PORT$PATTERN" | cmp -s - "$PAGE_FILE.gz" && echo same || echo different)
[ "$NGINX_GZIP" = same ] || { echo "nginx did not send Cairn's gzip bytes" >&2; exit 1; }
HTML_BYTES=$(wc -c <"$PAGE_FILE"); GZIP_BYTES=$(wc -c <"$PAGE_FILE.gz"); BR_BYTES=$(wc -c <"$WORK/page.br")
note "page $PATTERN: $HTML_BYTES bytes HTML, $GZIP_BYTES gzip, $BR_BYTES brotli; nginx sends the same gzip bytes"
# Each server's connection answers once before the timed runs.
curl -sf -o /dev/null -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$CAIRN_PORT$PATTERN"
curl -sf -o /dev/null -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$QUIET_PORT$PATTERN"

declare -A RPS P50 P99 FAILURES
add_sample() {
  local key=$1 figures=$2
  read -r rps p50 p99 failures <<<"$figures"
  RPS[$key]="${RPS[$key]:-} $rps"; P50[$key]="${P50[$key]:-} $p50"; P99[$key]="${P99[$key]:-} $p99"
  FAILURES[$key]=$((${FAILURES[$key]:-0} + failures))
  note "$key: $rps req/s, p50 $p50 ms, p99 $p99 ms, $failures failed"
}
# A/B/A/B: Cairn and nginx take turns, so a burst of someone else's compiling hits both.
for round in $(seq 1 "$ROUNDS"); do
  add_sample cairn-gzip "$(run_wrk "cairn-gzip-$round" "http://127.0.0.1:$CAIRN_PORT$PATTERN" gzip)"
  add_sample nginx-gzip "$(run_wrk "nginx-gzip-$round" "http://127.0.0.1:$NGINX_PORT$PATTERN" gzip)"
  add_sample cairn-br "$(run_wrk "cairn-br-$round" "http://127.0.0.1:$CAIRN_PORT$PATTERN" 'br, gzip')"
  add_sample nginx-gzip "$(run_wrk "nginx-gzip-$round-b" "http://127.0.0.1:$NGINX_PORT$PATTERN" 'br, gzip')"
  add_sample cairn-quiet "$(run_wrk "cairn-quiet-$round" "http://127.0.0.1:$QUIET_PORT$PATTERN" gzip)"
done
stop_pid "$QUIET_PID"
medians() { # key -> "rps p50 p99"
  # shellcheck disable=SC2086
  echo "$(median ${RPS[$1]}) $(median ${P50[$1]}) $(median ${P99[$1]})"
}
read -r CG_RPS CG_P50 CG_P99 <<<"$(medians cairn-gzip)"
read -r NG_RPS NG_P50 NG_P99 <<<"$(medians nginx-gzip)"
read -r CB_RPS CB_P50 CB_P99 <<<"$(medians cairn-br)"
read -r CQ_RPS CQ_P50 CQ_P99 <<<"$(medians cairn-quiet)"
PAGE_FAILURES=$((${FAILURES[cairn-gzip]} + ${FAILURES[nginx-gzip]} + ${FAILURES[cairn-br]} + ${FAILURES[cairn-quiet]}))
CONN="$WRK_CONNECTIONS conn, ${WRK_SECONDS} s x $ROUNDS"
row "Page $PATTERN, gzip ($GZIP_BYTES B), req/s ($CONN)" "$(round "$CG_RPS")" "nginx gzip_static: $(round "$NG_RPS")" "ratio $(ratio "$CG_RPS" "$NG_RPS") (goal >= 1.0)"
row "Page, gzip, latency p50 / p99" "$(round "$CG_P50" 2) / $(round "$CG_P99" 2) ms" "nginx: $(round "$NG_P50" 2) / $(round "$NG_P99" 2) ms" ""
row "Page, Cairn with \`br, gzip\` -> brotli ($BR_BYTES B), req/s" "$(round "$CB_RPS")" "nginx gzip: $(round "$NG_RPS") (no brotli module in Debian's nginx)" "ratio $(ratio "$CB_RPS" "$NG_RPS")"
row "Page, brotli, latency p50 / p99" "$(round "$CB_P50" 2) / $(round "$CB_P99" 2) ms" "nginx gzip: $(round "$NG_P50" 2) / $(round "$NG_P99" 2) ms" ""
row "Page, gzip, Cairn with \`CAIRN_LOG=warn\` (no per-request log line; diagnostic): req/s, p50 / p99" "$(round "$CQ_RPS"), $(round "$CQ_P50" 2) / $(round "$CQ_P99" 2) ms" "nginx: $(round "$NG_RPS")" "ratio $(ratio "$CQ_RPS" "$NG_RPS")"
[ "$PAGE_FAILURES" = 0 ] || row "Page requests that failed (non-2xx, socket errors)" "$PAGE_FAILURES" "" "must be 0"
kill -QUIT "$NGINX_PID" 2>/dev/null || true
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=""
fi

# ---------------------------------------------------------------------------------------
if want search; then
say "Search over HTTP: /api/search with rotating queries"
curl -sf -o /dev/null "http://127.0.0.1:$CAIRN_PORT/api/search?q=cache"
read -r S_RPS S_P50 S_P99 S_FAIL <<<"$(run_wrk api-search "http://127.0.0.1:$CAIRN_PORT" 'br, gzip' -s "$BENCH/search-queries.lua")"
note "api/search: $S_RPS req/s, p50 $S_P50 ms, p99 $S_P99 ms, $S_FAIL failed"
row "\`/api/search\`, 48 rotating queries, req/s ($WRK_CONNECTIONS conn, ${WRK_SECONDS} s)" "$(round "$S_RPS")" "" "$([ "$S_FAIL" = 0 ] && echo "no failures" || echo "$S_FAIL FAILED")"
row "\`/api/search\` latency p50 / p99 under that load" "$(round "$S_P50" 2) / $(round "$S_P99" 2) ms" "" ""
if [ "$QUICK" = 0 ]; then
  say "Search in process: criterion benchmark (10,000 pages; query group only)"
  cargo bench -p server --bench search -- query 2>&1 | tee "$RESULTS/search-criterion.txt" >&2
  CORPUS=$(grep -m1 '^corpus:' "$RESULTS/search-criterion.txt" | sed 's/ (seed.*//')
  read -r LOAD_MS BUILD_MS INDEX_MB <<<"$(awk '
    /^load_catalogue:/ { load = $2 } /^SearchIndex::build:/ { build = $2 }
    /^resident memory:/ { for (i = 1; i <= NF; i++) if ($i ~ /^\(\+/) { gsub(/[(+]/, "", $i); mb = $i } }
    END { print load, build, mb }' "$RESULTS/search-criterion.txt")"
  row "In-process, $CORPUS: load_catalogue / SearchIndex::build / index memory" "$LOAD_MS ms / $BUILD_MS ms / +$INDEX_MB MB" "" ""
  for kind in exact phrase prefix fuzzy; do
    line=$(awk -v kind="$kind" '$1 == kind && NF >= 4 { print $2, $3; exit }' "$RESULTS/search-criterion.txt")
    [ -n "$line" ] || continue
    read -r K_P50 K_P99 <<<"$line"
    CRIT=$(awk -v kind="query/$kind" '$1 == kind && /time:/ { gsub(/\[|\]/, ""); print $5, $6; exit }
      $1 == kind { getline; if (/time:/) { gsub(/\[|\]/, ""); print $4, $5; exit } }' "$RESULTS/search-criterion.txt")
    row "In-process search, $kind queries p50 / p99" "$K_P50 / $K_P99 us" "criterion estimate: ${CRIT:-n/a} per query" ""
  done
else
  row "In-process search (criterion)" "skipped in --quick" "" ""
fi
fi
if want pages || want search; then stop_pid "$CAIRN_PID"; fi

# ---------------------------------------------------------------------------------------
if want startup; then
say "Start-up: time to /readyz and resident memory"
# Prints "seconds-to-ready cpu-seconds-to-ready rss-mb-at-ready settle-seconds rss-mb-settled"
# for one start with extra arguments. SETTLE_LIMIT=0 skips waiting for the background
# server to go idle (settle figures are then "n/a").
measure_start() {
  local started ready pid cpu rss settle="n/a" settled_rss="n/a"
  started=$(date +%s%N)
  start_cairn "$START_PORT" start "$@"
  pid=$CAIRN_STARTED_PID
  wait_ready "http://127.0.0.1:$START_PORT/readyz" 180 || { cat "$WORK/start.err" >&2; return 1; }
  ready=$(date +%s%N)
  cpu=$(cpu_ticks "$pid")
  rss=$(awk '/^VmRSS:/ { print $2 / 1024 }' "/proc/$pid/status")
  if [ "${SETTLE_LIMIT:-0}" -gt 0 ]; then
    settle=$(wait_idle "$pid" "$SETTLE_LIMIT")
    settled_rss=$(awk '/^VmRSS:/ { print $2 / 1024 }' "/proc/$pid/status")
  fi
  stop_pid "$pid"
  awk -v a="$started" -v b="$ready" -v c="$cpu" -v hz="$(getconf CLK_TCK)" -v r="$rss" \
    'BEGIN { printf "%.3f %.2f %.1f ", (b - a) / 1e9, c / hz, r }'
  echo "$settle $settled_rss"
}
TEAM="$WORK/team-content"
node "$BENCH/generate-content.mjs" "$TEAM" "$TEAM_PAGES" >&2
SETTLE_MAX=$([ "$QUICK" = 1 ] && echo 2 || echo 30)
for label in builtin team; do
  times=(); cpus=(); rsses=(); settle="n/a"; settled_rss="n/a"
  for run in $(seq 1 "$START_RUNS"); do
    # Only the first start waits for the server to go idle: once is enough.
    limit=$([ "$run" = 1 ] && echo "$SETTLE_MAX" || echo 0)
    if [ "$label" = builtin ]; then
      figures=$(SETTLE_LIMIT=$limit measure_start)
    else
      figures=$(SETTLE_LIMIT=$limit measure_start --content "$TEAM")
    fi
    read -r t c r s_time s_rss <<<"$figures"
    times+=("$t"); cpus+=("$c"); rsses+=("$r")
    [ "$run" = 1 ] && { settle=$s_time; settled_rss=$s_rss; }
    note "$label run $run: ready in $t s wall ($c s CPU), RSS $r MB; idle ${s_time} s later, RSS then ${s_rss} MB"
  done
  if [ "$label" = builtin ]; then
    what="built-in catalogue"; time_goal="goal <= 1 s"; rss_goal=""
  else
    what="built-in + $TEAM_PAGES generated team pages"; time_goal="goal <= 10 s"; rss_goal="goal <= 300 MB"
  fi
  row "Start-up to \`/readyz\`, $what (median of $START_RUNS)" "$(round "$(median "${times[@]}")" 2) s wall, $(round "$(median "${cpus[@]}")" 2) s CPU" "" "$time_goal"
  row "RSS at ready / once idle, $what" "$(round "$(median "${rsses[@]}")") / $(round "$settled_rss") MB" "idle $settle s after ready" "$rss_goal"
done
fi

# ---------------------------------------------------------------------------------------
base="http://127.0.0.1:$CAIRN_PORT"
LIGHTHOUSE="$BENCH/node_modules/.bin/lighthouse"
PLAYWRIGHT="$BENCH/node_modules/.bin/playwright"
if want frontend || want lighthouse || want instant; then
start_cairn "$CAIRN_PORT" cairn-front
CAIRN_PID=$CAIRN_STARTED_PID
wait_ready "http://127.0.0.1:$CAIRN_PORT/readyz" 60
wait_idle "$CAIRN_PID" 120 >/dev/null
fi
if want frontend; then
say "Front end: script and WASM bytes each page type makes Chromium fetch"
# Loaded in Chromium, not read from the HTML: the lazy islands fetch their WASM chunks at
# run time, and those are most of a widget page's bytes.
if [ -x "$PLAYWRIGHT" ]; then
  BYTES="$RESULTS/frontend-bytes.json"
  FRONT_PAGES="home|/,pattern|$PLAIN_PATTERN,widget-cache|$WIDGET,widget-estimate|$ESTIMATE_PAGE,widget-breaker|$BREAKER_PAGE,widgets-two|$TWO_WIDGETS,search|$SEARCH_PAGE"
  # The smoke run keeps it short: one page without and one with a widget.
  [ "$QUICK" = 1 ] && FRONT_PAGES="home|/,widget-cache|$WIDGET"
  if (cd "$BENCH" && CAIRN_BENCH_URL="$base" CAIRN_BENCH_OUT="$BYTES" CAIRN_BENCH_PAGES="$FRONT_PAGES" \
    CAIRN_BENCH_PLAYWRIGHT_DIR="$WORK/playwright" "$PLAYWRIGHT" test --config playwright.config.ts frontend-bytes) >"$RESULTS/frontend-bytes.txt" 2>&1; then
    while IFS='|' read -r name path at_load live searched files raw wire js_br; do
      goal=""
      case "$name" in
        # Two kinds of widget load both kinds' code; each wakes only when reached.
        widgets-*) goal="two widget kinds (goal is per widget page)" ;;
        widget*) goal="goal <= 100 kB brotli WASM with its widgets live" ;;
        *) goal="less than a widget page" ;;
      esac
      row "$name page ($path): WASM brotli -q 11 at load / widgets live / search used too" "$at_load / $live / $searched kB" "widgets live: $files WASM file(s), $raw kB raw, $wire kB sent; JS $js_br kB brotli in all" "$goal"
    done < <(node -e '
      const pages = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const kb = (bytes) => (bytes / 1000).toFixed(1);
      const total = (assets, key) => kb(assets.reduce((t, a) => t + a[key], 0));
      for (const { name, path, assets } of pages) {
        const wasm = (stages) => assets.filter((a) => a.kind === "wasm" && stages.includes(a.stage));
        const live = wasm(["load", "widgets"]);
        console.log([name, path, total(wasm(["load"]), "brotli"), total(live, "brotli"),
          total(wasm(["load", "widgets", "search"]), "brotli"), live.length, total(live, "raw"),
          total(live, "wire"), total(assets.filter((a) => a.kind === "js"), "brotli")].join("|"));
      }' "$BYTES")
  else
    row "Front end bytes" "failed (see bench/results/frontend-bytes.txt)" "" ""
    tail -n 30 "$RESULTS/frontend-bytes.txt" >&2
  fi
else
  row "Front end bytes" "skipped: Playwright not installed in bench/ (cd bench && npm ci)" "" "goal <= 100 kB brotli WASM on a widget page"
fi

# ---------------------------------------------------------------------------------------
fi
if want lighthouse; then
say "Lighthouse (mobile preset) on home, pattern, widget and search pages"
if [ "$QUICK" = 0 ] && { [ ! -x "$LIGHTHOUSE" ] || [ ! -x "$PLAYWRIGHT" ]; }; then
  (cd "$BENCH" && npm ci --no-audit --no-fund)
fi
if [ "$QUICK" = 1 ]; then
  row "Lighthouse" "skipped in --quick" "" "goal 100 in all four"
elif [ -x "$LIGHTHOUSE" ]; then
  for entry in "home|/" "pattern|$PLAIN_PATTERN" "widget-cache|$WIDGET" "widget-estimate|$ESTIMATE_PAGE" \
    "widget-breaker|$BREAKER_PAGE" "search|$SEARCH_PAGE"; do
    name=${entry%%|*}; path=${entry#*|}
    report="$RESULTS/lighthouse-$name.json"
    if CHROME_PATH=/usr/bin/chromium "$LIGHTHOUSE" "$base$path" --quiet --output=json --output-path="$report" \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" >"$WORK/lighthouse.log" 2>&1; then
      read -r perf a11y practices seo lcp tbt cls <<<"$(node "$BENCH/lighthouse-summary.mjs" "$report" "$RESULTS/lighthouse-$name-failing.txt")"
      row "Lighthouse $name: performance / accessibility / best practices / SEO" "$perf / $a11y / $practices / $seo" "LCP $lcp ms, TBT $tbt ms, CLS $cls" "goal 100 in all four"
    else
      row "Lighthouse $name" "failed to run (see $WORK/lighthouse.log)" "" ""
      tail -n 20 "$WORK/lighthouse.log" >&2
    fi
  done
else
  row "Lighthouse" "not installed (cd bench && npm ci)" "" ""
fi

# ---------------------------------------------------------------------------------------
fi
if want instant; then
say "Instant search latency in Chromium: keystroke to results painted"
if [ -x "$PLAYWRIGHT" ]; then
  LATENCY="$RESULTS/instant-search-latency.json"
  if (cd "$BENCH" && CAIRN_BENCH_URL="$base" CAIRN_BENCH_QUERIES="$TYPED_QUERIES" CAIRN_BENCH_OUT="$LATENCY" \
    CAIRN_BENCH_PLAYWRIGHT_DIR="$WORK/playwright" "$PLAYWRIGHT" test --config playwright.config.ts instant-search) >"$RESULTS/instant-search-latency.txt" 2>&1; then
    read -r L_P50 L_P95 D_P50 R_P50 A_P50 <<<"$(node -e '
      const samples = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const pct = (key, p) => { const v = samples.map((s) => s[key]).sort((a, b) => a - b);
        return v[Math.min(v.length, Math.max(1, Math.ceil(p * v.length))) - 1].toFixed(1); };
      console.log(pct("total", 0.5), pct("total", 0.95), pct("beforeRequest", 0.5), pct("request", 0.5), pct("afterResponse", 0.5));
    ' "$LATENCY")"
    row "Instant search, keystroke to results painted, p50 / p95 ($TYPED_QUERIES typed queries)" "$L_P50 / $L_P95 ms" "p50 split: $D_P50 ms before the request left (input handling; no debounce), $R_P50 ms request, $A_P50 ms parse and paint" "goal p95 <= 50 ms"
  else
    row "Instant search latency" "failed (see bench/results/instant-search-latency.txt)" "" ""
    tail -n 30 "$RESULTS/instant-search-latency.txt" >&2
  fi
else
  row "Instant search latency" "skipped: Playwright not installed in bench/ (cd bench && npm ci)" "" "goal p95 <= 50 ms"
fi
fi
if want frontend || want lighthouse || want instant; then stop_pid "$CAIRN_PID"; fi

# ---------------------------------------------------------------------------------------
TABLE="$RESULTS/latest.md"
{
  echo "# Cairn benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Mode: $MODE${ONLY:+, steps $ONLY}. Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')." \
    "$(nproc) cores, load average $LOAD_BEFORE before the run and $(cut -d' ' -f1-3 /proc/loadavg) after; $(($(date +%s) - RUN_STARTED)) s." \
    "wrk $WRK_THREADS threads; medians of the A/B rounds. See bench/README.md for how to read these."
  echo
  echo "| Figure | Cairn | Reference | Ratio or goal |"
  echo "|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} >"$TABLE"
echo
cat "$TABLE"
