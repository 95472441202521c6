#!/usr/bin/env bash
# bench/loaded-memory.sh: what a server holds resident after a minute of load at 256 connections.
#
#   bench/loaded-memory.sh <label> [seconds] -- <command...>
#
# Seeds 20,000 stored sessions (BENCH_SESSIONS), starts bench/IncodeStandIn as Incode on core 1 and
# <command> on core 0 (as bench/run.sh pins them), then from core 1 runs two wrk at once for
# <seconds> (60): 128 connections resuming stored sessions at random (`/start?uniqueId=`) and 128 on
# `/onboarding-status` (one Incode call each). Prints, tab-separated: label, req/s of each wrk, VmRSS
# and VmHWM (peak) in MB read from /proc right after the load. The server gets the variables the
# bench gives ours (PORT, SESSIONS_DIR, API_URL...): any server that reads them will do.
# Needs wrk (apt-get install -y wrk) and the .NET SDK; the stand-in is built here.
set -euo pipefail
label=$1
seconds=60
shift
[[ ${1:-} =~ ^[0-9]+$ ]] && { seconds=$1; shift; }
[[ ${1:-} == -- ]] && shift
(($# > 0)) || { echo "usage: $0 <label> [seconds] -- <command...>" >&2; exit 2; }

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SESSIONS=${BENCH_SESSIONS:-20000}
SERVER_PORT=${BENCH_SERVER_PORT:-39480}
STANDIN_PORT=${BENCH_STANDIN_PORT:-39481}
INTERVIEW_ID=6650f0c2a1b2c3d4e5f60718

work=$(mktemp -d "${TMPDIR:-/tmp}/incodeslices-memory.XXXXXX")
standin="" server=""
cleanup() {
    local pid
    for pid in $server $standin; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

dotnet build "$BENCH_DIR/IncodeStandIn/IncodeStandIn.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 2; }
standin_dll="$BENCH_DIR/IncodeStandIn/bin/Release/net10.0/IncodeStandIn.dll"
dotnet "$standin_dll" seed --dir "$work/sessions" --count "$SESSIONS" --ids "$work/ids" >/dev/null
taskset -c 1 dotnet "$standin_dll" serve --port "$STANDIN_PORT" --delay-ms 0 >"$work/standin.log" 2>&1 &
standin=$!

mkdir -p "$work/cwd"
(cd "$work/cwd" && exec env API_URL="http://127.0.0.1:$STANDIN_PORT" API_KEY=bench-api-key FLOW_ID=bench-flow \
    ADMIN_TOKEN=bench-admin-token RATE_LIMIT_PER_MINUTE=0 PORT="$SERVER_PORT" SESSIONS_DIR="$work/sessions" \
    taskset -c 0 "$@") >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$SERVER_PORT/onboarding-status?interviewId=$INTERVIEW_ID" || true)" == 200 ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done

BENCH_IDS="$work/ids" taskset -c 1 wrk -t1 -c128 -d"${seconds}s" -s "$BENCH_DIR/wrk.lua" \
    "http://127.0.0.1:$SERVER_PORT/start?uniqueId=" >"$work/resume.txt" 2>&1 &
resume=$!
taskset -c 1 wrk -t1 -c128 -d"${seconds}s" -s "$BENCH_DIR/wrk.lua" \
    "http://127.0.0.1:$SERVER_PORT/onboarding-status?interviewId=$INTERVIEW_ID" >"$work/status.txt" 2>&1
wait "$resume"

rps() { awk '/^Requests\/sec/ { print int($2) }' "$1"; }
mb() { awk -v key="$1:" '$1 == key { print int(($2 + 512) / 1024) }' "/proc/$server/status"; }
printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$(rps "$work/resume.txt")" "$(rps "$work/status.txt")" "$(mb VmRSS)" "$(mb VmHWM)"
