#!/usr/bin/env bash
# bench/first-answer.sh: how soon a server answers after launch, and what it holds resident then.
#
#   bench/first-answer.sh <label> <url> <launches> -- <command...>
#
# Runs <command> <launches> times from the current directory, pinned to core 0 as bench/run.sh pins
# its apps, and polls <url> with curl from core 1 until it answers 200; prints, tab-separated, one
# line per launch: label, milliseconds from launch to that answer, the CPU milliseconds (user +
# system) the server had spent by then, which a busy machine moves much less than the first figure,
# and VmRSS in MB 2 s later. The server
# is stopped (SIGTERM) after each launch. Its environment is the caller's: set the server's variables
# (PORT, SESSIONS_DIR, API_URL...) before calling. Any server at all: ours, the floor, a reference.
set -euo pipefail
label=$1 url=$2 launches=$3
shift 3
[[ ${1:-} == -- ]] && shift
(($# > 0)) || { echo "usage: $0 <label> <url> <launches> -- <command...>" >&2; exit 2; }

for ((i = 1; i <= launches; i++)); do
    started=$(date +%s%N)
    taskset -c 0 "$@" >/dev/null 2>&1 &
    pid=$!
    deadline=$((started + 30000000000))
    until [[ "$(taskset -c 1 curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" == 200 ]]; do
        kill -0 "$pid" 2>/dev/null || { echo "$label exited at start-up" >&2; exit 1; }
        (($(date +%s%N) < deadline)) || { kill "$pid"; echo "$label did not answer within 30 s" >&2; exit 1; }
    done
    ms=$((($(date +%s%N) - started) / 1000000))
    cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$pid/stat")
    sleep 2
    rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
    printf '%s\t%d\t%d\t%d\n' "$label" "$ms" "$cpu_ms" $(((rss_kb + 512) / 1024))
    kill "$pid"
    wait "$pid" 2>/dev/null || true
done
