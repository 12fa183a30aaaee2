#!/usr/bin/env bash
# Load and shutdown check: wrk for DURATION seconds at CONNECTIONS connections over a mix of
# pages, /search and /api/search against the release server, reporting non-2xx responses
# and the server's resident memory (from /proc) before and after; then SIGTERM during load,
# showing that requests in flight finish, new connections are refused, and the process exits
# within the grace period.
#
#   bench/load.sh                 # 60 s, 64 connections (the issue's figures)
#   DURATION=5 bench/load.sh      # a quick run
#
# Needs wrk, curl and python3, and `cargo leptos build --release` first. Exits non-zero if any
# response was not a 2xx, a request in flight failed, or the shutdown took too long.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/env.sh"
cd "$CAIRN_ROOT"

DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PORT="${PORT:-3975}"
# The Kubernetes manifest's terminationGracePeriodSeconds.
GRACE_SECONDS="${GRACE_SECONDS:-30}"
BASE="http://127.0.0.1:$PORT"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

start_server() {
    CAIRN_LOG=warn "$CAIRN_BIN" --address "127.0.0.1:$PORT" --site-root "$CAIRN_SITE_ROOT" \
        >"$work/server.out" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 1 600); do
        if curl -fsS "$BASE/readyz" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "cairn did not become ready" >&2
    cat "$work/server.err" >&2
    exit 1
}

# The mix: every page linked from the home page and the categories, search pages and API
# calls with exact, typo, prefix and phrase queries, and a few 404-free filters.
make_paths() {
    local home
    home="$(curl -fsS "$BASE/")"
    {
        echo "/"
        grep -o 'href="/\(patterns\|categories\|paths\)/[^"#?]*"' <<<"$home" | cut -d'"' -f2 | sort -u
        for category in $(grep -o 'href="/categories/[^"#?]*"' <<<"$home" | cut -d'"' -f2 | sort -u); do
            curl -fsS "$BASE$category" | grep -o 'href="/patterns/[^"#?]*"' | cut -d'"' -f2
        done
        for query in cache circut+breaker idempot '%22write+through%22' shard+key rate+limit queue consistency; do
            echo "/search?q=$query"
            echo "/api/search?q=$query"
            echo "/api/search?q=$query&limit=5&offset=5"
        done
        echo "/search?q=cache&category=caching"
        echo "/api/search?q=cache&level=intro"
        echo "/healthz"
    } | sort -u >"$work/paths"
}

echo "== Load: ${DURATION} s at ${CONNECTIONS} connections"
start_server
make_paths
echo "paths in the mix: $(wc -l <"$work/paths") (pages, /search, /api/search)"
# Warm up, so the start figure is the steady state after the first requests, not before them.
while read -r path; do curl -fsS -o /dev/null "$BASE$path"; done <"$work/paths"
rss_start="$(rss_kb "$server_pid")"
CAIRN_LOAD_PATHS="$work/paths" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
    -s bench/load.lua "$BASE" | tee "$work/wrk.out"
rss_end="$(rss_kb "$server_pid")"
echo "RSS: start ${rss_start} KB, end ${rss_end} KB ($(( (rss_end - rss_start) * 100 / rss_start ))% change)"
non2xx="$(awk '/^non-2xx responses:/ { print $3 }' "$work/wrk.out")"
failed=0
if [[ "$non2xx" != "0" ]]; then
    echo "FAIL: $non2xx responses were not 2xx"
    failed=1
fi

echo
echo "== SIGTERM during load"
# The in-flight request to watch: the WebAssembly bundle (the largest response, streamed
# from disk), uncompressed, read about 200 KB/s through a 4 KB receive buffer, so the server
# cannot hand it all to the kernel at once: it is still sending when the signal arrives.
slow_path="$(curl -fsS "$BASE/" | grep -o '/pkg/[^"]*\.wasm' | head -1)"
slow_bytes="$(curl -fsS -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: identity' "$BASE$slow_path")"
slow_read() {
    python3 - "$PORT" "$slow_path" "$work/slow.started" <<'PY'
import pathlib, socket, sys, time
port, path, started = int(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
sock.connect(("127.0.0.1", port))
sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n".encode())
data = b""
while chunk := sock.recv(2048):
    data += chunk
    # The answer has begun: the request is in flight from here on.
    started.touch()
    time.sleep(0.01)
head, _, body = data.partition(b"\r\n\r\n")
print(head.split(b" ")[1].decode() if head else "none", len(body))
PY
}
CAIRN_LOAD_PATHS="$work/paths" wrk -t"$THREADS" -c"$CONNECTIONS" -d10s \
    -s bench/load.lua "$BASE" >"$work/wrk-term.out" &
wrk_pid=$!
sleep 3
slow_read >"$work/slow.out" 2>"$work/slow.err" &
slow_pid=$!
for _ in $(seq 1 200); do [[ -e "$work/slow.started" ]] && break; sleep 0.05; done
term_sent="$(date +%s.%N)"
kill -TERM "$server_pid"
# A connection attempt right after the signal: the listener is closed, so it is refused.
refused="no"
for _ in $(seq 1 50); do
    if ! curl -sS -o /dev/null --max-time 2 "$BASE/healthz" 2>"$work/curl.err"; then
        if grep -q "Connection refused\|Couldn't connect" "$work/curl.err"; then refused="yes"; break; fi
    fi
    sleep 0.05
done
exit_status=0
wait "$server_pid" || exit_status=$?
term_done="$(date +%s.%N)"
server_pid=""
wait "$wrk_pid" || true
slow_status=0
wait "$slow_pid" || slow_status=$?
cat "$work/wrk-term.out"
echo "in-flight download of $slow_path ($slow_bytes bytes, read slowly, its answer begun before SIGTERM): exit $slow_status, status and bytes received: $(cat "$work/slow.out") $(cat "$work/slow.err")"
exit_seconds="$(awk -v a="$term_sent" -v b="$term_done" 'BEGIN { printf "%.2f", b - a }')"
echo "server exit status: $exit_status, ${exit_seconds} s after SIGTERM (grace period ${GRACE_SECONDS} s)"
echo "new connection after SIGTERM refused: $refused"
grep -i "shutting down\|stopped after draining" "$work/server.err" || true
term_non2xx="$(awk '/^non-2xx responses:/ { print $3 }' "$work/wrk-term.out")"
# Every answer given during the drain is a 2xx. wrk's read errors (about one per
# connection) are requests it wrote onto a keep-alive connection the server was already
# closing as idle: the race every keep-alive client must handle by retrying (RFC 9112
# section 9.3.1), which browsers and proxies do; its connect and write errors are its
# attempts after the listener closed.
if [[ "$term_non2xx" != "0" ]]; then
    echo "FAIL: during shutdown $term_non2xx responses were not 2xx"
    failed=1
fi
if [[ "$slow_status" != "0" || "$(cat "$work/slow.out")" != "200 $slow_bytes" ]]; then
    echo "FAIL: the request in flight at SIGTERM did not complete"
    failed=1
fi
if [[ "$exit_status" != "0" || "$refused" != "yes" ]] || \
    awk -v s="$exit_seconds" -v g="$GRACE_SECONDS" 'BEGIN { exit !(s > g) }'; then
    echo "FAIL: the shutdown was not clean"
    failed=1
fi
exit "$failed"
