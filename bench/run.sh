#!/usr/bin/env bash
# bench/run.sh: how fast is IncodeSlices, and is it within its targets?
#
# Builds Release, starts a local stand-in for Incode (bench/IncodeStandIn) and the server against
# it, drives load with wrk, and prints one table plus a PASS/FAIL line per target. For humans, not
# CI: it takes a few minutes and its numbers move with whatever else the machine is doing.
#
# Exit status: 0 when the bench ran (even if targets were missed: the output says so), 2 when the
# bench itself could not run. All traffic stays on 127.0.0.1.
#
# Knobs (environment): BENCH_DURATION seconds per measured run (7), BENCH_WARMUP seconds of
# unmeasured load on each route, twice over, before anything is measured (3), BENCH_SERVER_PORT (39180), BENCH_STANDIN_PORT
# (39181), BENCH_SESSIONS stored sessions for the lookup test (100000).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")

DURATION=${BENCH_DURATION:-7}
WARMUP=${BENCH_WARMUP:-3}
SERVER_PORT=${BENCH_SERVER_PORT:-39180}
STANDIN_PORT=${BENCH_STANDIN_PORT:-39181}
MANY_SESSIONS=${BENCH_SESSIONS:-100000}
LOOKUP_SECONDS=2          # each of the 12 short lookup runs
STARTS=3                  # launches timed; the median counts
FEW_SESSIONS=10

SERVER_URL="http://127.0.0.1:$SERVER_PORT"
STANDIN_URL="http://127.0.0.1:$STANDIN_PORT"
INTERVIEW_ID=6650f0c2a1b2c3d4e5f60718
WEBHOOK_BODY='{"interviewId":"6650f0c2a1b2c3d4e5f60718","onboardingStatus":"ONBOARDING_FINISHED"}'
OMNI_START_BODY='{"configurationId":"bench-flow","language":"en-US"}'

# Targets (see the README): ideal throughput at 256 connections and 100 ms is 256 / 0.1 s.
TARGET_P50_OVER_FLOOR_MS=3
TARGET_P99_MS=140
TARGET_RPS=$(awk 'BEGIN { printf "%.0f", 0.85 * 256 / 0.1 }')
TARGET_RSS_IDLE_MB=100
TARGET_RSS_LOADED_MB=200
TARGET_STARTUP_MS=1000

OUT="$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)"
RUNS="$OUT/runs.tsv"      # one line per measured wrk run
REPORT="$OUT/report.md"   # what is printed at the end
WORK=""                   # a temporary folder for session files, removed on exit
SESSIONS_DIR=""           # $WORK/sessions: a link to $WORK/few or $WORK/many, switched between phases
STANDIN_PID=""
SERVER_PID=""

die() {
    echo "bench: $*" >&2
    exit 2
}

log() {
    echo "[$(date +%H:%M:%S)] $*" >&2
}

cleanup() {
    # Only what this script started, by pid; waited for, so that a run right after finds the ports free.
    stop "$SERVER_PID"
    stop "$STANDIN_PID"
    [[ -n "$WORK" && -d "$WORK" ]] && rm -rf "$WORK"
    return 0
}

# stop <pid>: asks a process this script started to end, waits for it, and after 10 s ends it.
stop() {
    [[ -n "$1" ]] || return 0
    kill "$1" 2>/dev/null || return 0
    local i
    for i in $(seq 100); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
trap cleanup EXIT

# --- setup -------------------------------------------------------------------------------------

check_tools() {
    local tool
    for tool in dotnet wrk curl awk; do
        command -v "$tool" >/dev/null || die "$tool is not installed (wrk: apt-get install -y wrk)"
    done
    # 256 connections in, 256 out, plus session files: more than the usual 1024 descriptors at peaks.
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    local port
    for port in "$SERVER_PORT" "$STANDIN_PORT"; do
        if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
            die "port $port is already in use (set BENCH_SERVER_PORT / BENCH_STANDIN_PORT)"
        fi
    done
}

# The server gets a core of its own; wrk and the stand-in (together: "the outside world") share
# the other, so the server's numbers are not eaten by its own load generator.
choose_pinning() {
    if command -v taskset >/dev/null && (($(nproc) >= 2)); then
        PIN_SERVER=(taskset -c 0)
        PIN_LOAD=(taskset -c 1)
        PINNING="server on core 0; wrk, the Incode stand-in and the start-up poller on core 1"
    else
        PIN_SERVER=()
        PIN_LOAD=()
        PINNING="none (taskset missing or fewer than 2 cores): every process shares every core"
    fi
}

build() {
    log "building Release (server and stand-in)"
    dotnet build "$REPO/src/Host/IncodeSlices.Host.csproj" -c Release -nologo -v quiet >"$OUT/build.log" 2>&1 \
        || die "server build failed, see $OUT/build.log"
    dotnet build "$BENCH_DIR/IncodeStandIn/IncodeStandIn.csproj" -c Release -nologo -v quiet >>"$OUT/build.log" 2>&1 \
        || die "stand-in build failed, see $OUT/build.log"
    SERVER_DLL="$REPO/src/Host/bin/Release/net10.0/IncodeSlices.Host.dll"
    STANDIN_DLL="$BENCH_DIR/IncodeStandIn/bin/Release/net10.0/IncodeStandIn.dll"
    [[ -f "$SERVER_DLL" && -f "$STANDIN_DLL" ]] || die "build output not found"
}

# Two populations of stored sessions, and SESSIONS_DIR a symbolic link to one of them: the server
# opens every session file by path, so switching the link switches what it sees at once, and lookups
# among 10 and among 100,000 sessions can be measured in turn against the same running server.
#   few/   10 sessions, ids in $OUT/ids-few
#   many/  the same 10 plus the rest up to BENCH_SESSIONS, ids in $OUT/ids-many
prepare_sessions() {
    WORK=$(mktemp -d /tmp/incodeslices-bench.XXXXXX)
    SESSIONS_DIR="$WORK/sessions"
    log "storing $FEW_SESSIONS + $((MANY_SESSIONS - FEW_SESSIONS)) sessions in $WORK"
    seed "$WORK/few" "$FEW_SESSIONS" "$OUT/ids-few"
    mkdir -p "$WORK/many"
    cp "$WORK"/few/*.json "$WORK/many/"
    cp "$OUT/ids-few" "$OUT/ids-many"
    seed "$WORK/many" $((MANY_SESSIONS - FEW_SESSIONS)) "$OUT/ids-many"
    use_sessions few
}

# seed <folder> <count> <ids file>: writes <count> session files, appending their ids to the file.
seed() {
    dotnet "$STANDIN_DLL" seed --dir "$1" --count "$2" --ids "$3" >>"$OUT/standin.log" 2>&1 || die "seeding sessions failed"
}

# use_sessions few|many
use_sessions() {
    ln -sfn "$WORK/$1" "$SESSIONS_DIR"
}

# How many session files a second the server's own file store writes durably on this disk (its
# group commit: write, publish, one syncfs per batch), from the server's core with nothing else of
# ours running: the storage floor under /start, which stores one per call.
measure_disk() {
    local writers
    DISK_RATES=""
    for writers in 8 64; do
        local rate
        # A folder each, removed only on exit: ext4 passes over freshly deleted inodes when it
        # allocates new ones, so deleting one measurement's files would slow the next.
        rate=$("${PIN_SERVER[@]}" dotnet "$STANDIN_DLL" disk --dir "$WORK/disk-$writers" --seconds 3 --writers "$writers") \
            || die "the disk measurement failed"
        DISK_RATES+="${DISK_RATES:+, }$rate/s with $writers writers"
    done
    log "durable session writes: $DISK_RATES"
}

start_standin() {
    log "starting the Incode stand-in on $STANDIN_URL"
    "${PIN_LOAD[@]}" dotnet "$STANDIN_DLL" serve --port "$STANDIN_PORT" --delay-ms 0 >"$OUT/standin.log" 2>&1 &
    STANDIN_PID=$!
    local i
    for i in $(seq 150); do
        [[ "$(http_code "$STANDIN_URL/omni/get/score?id=$INTERVIEW_ID")" == 200 ]] && return 0
        sleep 0.1
    done
    die "the stand-in did not answer within 15 s, see $OUT/standin.log"
}

set_upstream_delay() {
    curl -s -f -o /dev/null -X POST "$STANDIN_URL/bench/delay?ms=$1" || die "could not set the stand-in's delay"
}

http_code() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true
}

# Starts the server and measures the time from launch to its first answered request: a stored
# session's /start?uniqueId= (no Incode call), polled as fast as curl can go from the load core.
start_server() {
    log "starting the server on $SERVER_URL"
    local cwd="$OUT/server-cwd" probe started answered
    mkdir -p "$cwd" # an empty working directory: no stray .env is read
    probe="$SERVER_URL/start?uniqueId=$(head -n 1 "$OUT/ids-few")"

    started=$(date +%s%N)
    (
        cd "$cwd"
        # The cost cap would turn a load test of /start into a test of the cap.
        exec env API_URL="$STANDIN_URL" API_KEY=bench-api-key FLOW_ID=bench-flow ADMIN_TOKEN=bench-admin-token RATE_LIMIT_PER_MINUTE=0 \
            PORT="$SERVER_PORT" SESSIONS_DIR="$SESSIONS_DIR" "${PIN_SERVER[@]}" dotnet "$SERVER_DLL"
    ) >"$OUT/server.log" 2>&1 &
    SERVER_PID=$!

    local deadline=$((started + 30000000000))
    while [[ "$("${PIN_LOAD[@]}" curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$probe" || true)" != 200 ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited at start-up, see $OUT/server.log"
        (($(date +%s%N) < deadline)) || die "the server did not answer within 30 s, see $OUT/server.log"
    done
    answered=$(date +%s%N)
    STARTUP_MS=$(((answered - started) / 1000000))
}

# Launches the server STARTS times, timing each launch to its first answer; the last one is kept
# running. The median is what the target is checked against: one slow launch on a shared machine
# says little.
time_startups() {
    local i times=()
    for ((i = 1; i <= STARTS; i++)); do
        start_server
        times+=("$STARTUP_MS")
        if ((i < STARTS)); then
            stop "$SERVER_PID"
            SERVER_PID=""
            wait_for_free_port "$SERVER_PORT"
        fi
    done
    STARTUP_ALL=$(IFS=,; echo "${times[*]}" | sed 's/,/, /g')
    STARTUP_MS=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
}

wait_for_free_port() {
    local i
    for i in $(seq 100); do
        curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" || return 0
        sleep 0.1
    done
    die "port $1 is still in use after the server was stopped"
}

# Every route once, before any load: a bench that measures fast 404s or 503s measures nothing.
check_routes() {
    local id
    id=$(head -n 1 "$OUT/ids-few")
    expect_200 "$SERVER_URL/start"
    expect_200 "$SERVER_URL/start?uniqueId=$id"
    expect_200 "$SERVER_URL/onboarding-status?interviewId=$INTERVIEW_ID"
    expect_200 -H 'X-Token: bench-session-token' "$SERVER_URL/fetch-score?interviewId=$INTERVIEW_ID"
    expect_200 -X POST -H 'Content-Type: application/json' -d "$WEBHOOK_BODY" "$SERVER_URL/webhook"
    expect_200 -X POST -H 'Content-Type: application/json' -d "$OMNI_START_BODY" "$STANDIN_URL/omni/start"
    grep -q 'passed' "$OUT/server.log" || die "/webhook did not fetch the score from the stand-in, see $OUT/server.log"
}

expect_200() {
    local code
    code=$(http_code "$@")
    [[ "$code" == 200 ]] || die "${*: -1} answered $code instead of 200 (logs in $OUT)"
}

# --- measuring ---------------------------------------------------------------------------------

rss_mb() {
    awk -v field="$2:" '$1 == field { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# CPU time (user + system) the process has used, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# What the server's garbage collector runs as. Server GC names one thread per heap; background
# (concurrent) GC is on unless the runtime config or the environment turns it off.
gc_mode() {
    local heaps concurrent=on config="${SERVER_DLL%.dll}.runtimeconfig.json"
    heaps=$(cat /proc/"$SERVER_PID"/task/*/comm 2>/dev/null | grep -c '^\.NET Server GC' || true)
    if grep -q '"System.GC.Concurrent": false' "$config" || [[ "${DOTNET_gcConcurrent:-}" == 0 ]]; then
        concurrent=off
    fi
    if ((heaps > 0)); then
        echo "Server GC, $heaps heaps, concurrent $concurrent"
    elif grep -q '"System.GC.Server": true' "$config"; then
        echo "Workstation GC, concurrent $concurrent (Server GC is configured, but the runtime uses Workstation GC when the process may run on one core only)"
    else
        echo "Workstation GC, concurrent $concurrent"
    fi
}

# wrk_run <seconds> <connections> <url> [VAR=value...]: prints wrk.lua's WRK line.
wrk_run() {
    local seconds=$1 connections=$2 url=$3
    shift 3
    env "$@" "${PIN_LOAD[@]}" wrk -t1 -c"$connections" -d"${seconds}s" --timeout 5s -s "$BENCH_DIR/wrk.lua" "$url" \
        | grep '^WRK ' || die "wrk failed against $url"
}

warm_up() {
    wrk_run "$WARMUP" "$@" >/dev/null
}

# measure <key> <connections> <url> [VAR=value...]: one measured run, recorded in $RUNS as
# key, requests/s, p50 ms, p99 ms, errors (socket errors, timeouts and non-2xx answers), and the
# server's CPU time per request in µs (which the machine's noise moves much less than latency).
measure() {
    local key=$1 connections=$2 url=$3 before after line
    shift 3
    log "measuring $key"
    before=$(cpu_ticks "$SERVER_PID")
    line=$(wrk_run "$DURATION" "$connections" "$url" "$@")
    after=$(cpu_ticks "$SERVER_PID")
    echo "$key $line" >>"$OUT/wrk.log"
    awk -v key="$key" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" -v floor="${key%%|*}" '
        {
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            errors = v["connect"] + v["read"] + v["write"] + v["timeout"] + v["status"]
            cpu = (floor == "floor" || v["requests"] == 0) ? "-" : sprintf("%.0f", ticks / hz * 1e6 / v["requests"])
            printf "%s\t%.0f\t%.2f\t%.2f\t%d\t%s\n", key, v["requests"] / (v["duration_us"] / 1e6),
                v["p50_us"] / 1000, v["p99_us"] / 1000, errors, cpu
        }' <<<"$line" >>"$RUNS"
}

# The five server routes and the Incode call each one makes (the floor). /webhook's call is the
# same GET /omni/get/score as /fetch-score's, so it shares that floor.
measure_server_routes() {
    local scenario=$1 connections=$2
    measure "server|$scenario|/start" "$connections" "$SERVER_URL/start"
    measure "server|$scenario|/onboarding-status" "$connections" "$SERVER_URL/onboarding-status?interviewId=$INTERVIEW_ID"
    measure "server|$scenario|/fetch-score" "$connections" "$SERVER_URL/fetch-score?interviewId=$INTERVIEW_ID" \
        BENCH_TOKEN=bench-session-token
    measure "server|$scenario|/webhook" "$connections" "$SERVER_URL/webhook" BENCH_BODY="$WEBHOOK_BODY"
}

measure_floors() {
    local scenario=$1 connections=$2
    measure "floor|$scenario|/start" "$connections" "$STANDIN_URL/omni/start" BENCH_BODY="$OMNI_START_BODY"
    measure "floor|$scenario|/onboarding-status" "$connections" "$STANDIN_URL/omni/get/onboarding/status?id=$INTERVIEW_ID"
    measure "floor|$scenario|/fetch-score" "$connections" "$STANDIN_URL/omni/get/score?id=$INTERVIEW_ID"
}

# /start?uniqueId= (no Incode call) with random ids among 10, then among 100,000 stored sessions,
# in three rounds of A B B A with short runs; each population's result is the median of its six
# runs. A B B A because tiered compilation keeps improving the code for a while, a drift that would
# otherwise favour whichever population comes second; medians because one stall of the shared
# machine during one run would otherwise decide a p99.
measure_lookups() {
    local few="server|lookup|$FEW_SESSIONS|/start?uniqueId=" many="server|lookup|$MANY_SESSIONS|/start?uniqueId="
    local round run=0 population
    for round in 1 2 3; do
        for population in few many many few; do
            run=$((run + 1))
            use_sessions "$population"
            local key=$few
            [[ $population == many ]] && key=$many
            DURATION=$LOOKUP_SECONDS measure "$key|$run" 64 "$SERVER_URL/start?uniqueId=" BENCH_IDS="$OUT/ids-$population"
        done
    done
    median_of_runs "$few"
    median_of_runs "$many"
    use_sessions many
}

# median_of_runs <key>: records, under <key>, the median of each column over the runs "<key>|n"
# (errors are added up instead).
median_of_runs() {
    local line=$1 col
    for col in 2 3 4 5 6; do
        line+=$'\t'$(awk -F'\t' -v key="$1" -v col="$col" 'index($1, key "|") == 1 { print $col }' "$RUNS" | sort -g \
            | awk -v col="$col" '
                { v[NR] = $1; sum += $1 }
                END {
                    if (NR == 0) exit 1
                    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                    if (col == 5) printf "%d", sum; else printf (col == 3 || col == 4) ? "%.2f" : "%.0f", m
                }') || die "no runs recorded for $1"
    done
    echo "$line" >>"$RUNS"
}

# Every route under load at 0 ms before anything is measured, round-robin, twice. .NET compiles
# each method quickly first and optimised once it is hot, and it starts counting calls only after
# a quiet spell without new compilations: 100 ms, but ten times that in a process that may use one
# core only, as the pinned server. Under load on one core the server reaches full speed only after
# tens of seconds; measured any earlier, each route would look slower than the one after it.
warm_up_all() {
    log "warming up every route (2 rounds of ${WARMUP} s each)"
    set_upstream_delay 0
    local round
    for round in 1 2; do
        warm_up 64 "$SERVER_URL/start?uniqueId=" BENCH_IDS="$OUT/ids-few"
        warm_up 64 "$SERVER_URL/start"
        warm_up 64 "$SERVER_URL/onboarding-status?interviewId=$INTERVIEW_ID"
        warm_up 64 "$SERVER_URL/fetch-score?interviewId=$INTERVIEW_ID" BENCH_TOKEN=bench-session-token
        warm_up 64 "$SERVER_URL/webhook" BENCH_BODY="$WEBHOOK_BODY"
    done
}

# --- reporting ---------------------------------------------------------------------------------

# get <key> <column>: a recorded value (2 rps, 3 p50, 4 p99, 5 errors, 6 CPU µs), or "-" if none.
get() {
    awk -F'\t' -v key="$1" -v col="$2" '$1 == key { print $col; found = 1 } END { if (!found) print "-" }' "$RUNS"
}

# row <label upstream> <label connections> <route> <scenario key> [floor route]
row() {
    local upstream=$1 connections=$2 route=$3 scenario=$4 floor_route=${5:-}
    local s="server|$scenario|$route" f="floor|$scenario|$floor_route"
    local floor_cols="| - | - | - | - | -"
    if [[ -n "$floor_route" ]]; then
        floor_cols=$(awk -v sp50="$(get "$s" 3)" -v sp99="$(get "$s" 4)" \
            -v rps="$(get "$f" 2)" -v p50="$(get "$f" 3)" -v p99="$(get "$f" 4)" \
            'BEGIN { printf "| %s | %s | %s | %+.2f | %+.2f", rps, p50, p99, sp50 - p50, sp99 - p99 }')
    fi
    echo "| $upstream | $connections | \`$route\` | $(get "$s" 2) | $(get "$s" 3) | $(get "$s" 4) | $(get "$s" 5) | $(get "$s" 6) $floor_cols |"
}

table() {
    echo "| upstream | conns | route | req/s | p50 ms | p99 ms | errors | CPU µs/req | floor req/s | floor p50 | floor p99 | p50 over floor | p99 over floor |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    row "-" 64 "/start?uniqueId=" "lookup|$FEW_SESSIONS"
    row "-" 64 "/start?uniqueId=" "lookup|$MANY_SESSIONS"
    local scenario latency connections route
    for scenario in "0|64" "100|64" "100|256"; do
        latency=${scenario%|*}
        connections=${scenario#*|}
        for route in /start /onboarding-status /fetch-score /webhook; do
            local floor=$route
            [[ $route == /webhook ]] && floor=/fetch-score
            row "$latency ms" "$connections" "$route" "$scenario" "$floor"
        done
    done
}

verdict() {
    if awk "BEGIN { exit !($2) }"; then
        echo "- PASS: $1"
    else
        echo "- FAIL: $1"
        MISSED=$((MISSED + 1))
    fi
}

targets() {
    MISSED=0
    local route s f p50 fp50 p99 rps errors
    for route in /start /onboarding-status /fetch-score /webhook; do
        local floor=$route
        [[ $route == /webhook ]] && floor=/fetch-score
        s="server|100|64|$route"
        f="floor|100|64|$floor"
        p50=$(get "$s" 3)
        fp50=$(get "$f" 3)
        p99=$(get "$s" 4)
        verdict "\`$route\` at 100 ms, 64 conns: p50 over floor $(awk -v a="$p50" -v b="$fp50" 'BEGIN { printf "%.2f", a - b }') ms (≤ $TARGET_P50_OVER_FLOOR_MS ms)" \
            "$p50 - $fp50 <= $TARGET_P50_OVER_FLOOR_MS"
        verdict "\`$route\` at 100 ms, 64 conns: p99 $p99 ms (≤ $TARGET_P99_MS ms)" "$p99 <= $TARGET_P99_MS"
    done
    for route in /start /onboarding-status /fetch-score /webhook; do
        s="server|100|256|$route"
        rps=$(get "$s" 2)
        errors=$(get "$s" 5)
        verdict "\`$route\` at 100 ms, 256 conns: $rps req/s (≥ $TARGET_RPS, 0.85 × 2560 ideal) with $errors errors (0)" \
            "$rps >= $TARGET_RPS && $errors == 0"
    done
    verdict "resident memory idle: $RSS_IDLE_MB MB (≤ $TARGET_RSS_IDLE_MB MB)" "$RSS_IDLE_MB <= $TARGET_RSS_IDLE_MB"
    verdict "resident memory after load: $RSS_LOADED_MB MB (≤ $TARGET_RSS_LOADED_MB MB)" "$RSS_LOADED_MB <= $TARGET_RSS_LOADED_MB"
    verdict "first answered request: $STARTUP_MS ms after start (≤ $TARGET_STARTUP_MS ms)" "$STARTUP_MS <= $TARGET_STARTUP_MS"
    local few many
    few=$(get "server|lookup|$FEW_SESSIONS|/start?uniqueId=" 4)
    many=$(get "server|lookup|$MANY_SESSIONS|/start?uniqueId=" 4)
    verdict "\`/start?uniqueId=\` p99 with $MANY_SESSIONS sessions: $many ms (≤ 2 × $few ms with $FEW_SESSIONS)" \
        "$many <= 2 * $few"
}

report() {
    {
        echo "## IncodeSlices benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo
        table
        echo
        echo "- \`upstream\`: the stand-in's delay before each answer; \`-\`: the route makes no Incode call."
        echo "- floor: the same Incode call made by wrk straight to the stand-in; /webhook's floor is /fetch-score's (both GET /omni/get/score)."
        echo "- \`/start?uniqueId=\` rows: random lookups among $FEW_SESSIONS, then among $MANY_SESSIONS stored sessions; each the median of 6 runs of $LOOKUP_SECONDS s, taken as 3 rounds of $FEW_SESSIONS, $MANY_SESSIONS, $MANY_SESSIONS, $FEW_SESSIONS. Every other row ran with the $MANY_SESSIONS sessions stored."
        echo "- resident memory (VmRSS): idle $RSS_IDLE_MB MB, after load $RSS_LOADED_MB MB, peak $RSS_PEAK_MB MB; $GC_MODE."
        echo "- durable session writes on the server's core, without the server (the storage floor of \`/start\`): $DISK_RATES."
        echo "- first answered request: $STARTUP_MS ms after the process was launched, the median of $STARTS launches ($STARTUP_ALL ms), with $FEW_SESSIONS sessions stored."
        echo "- pinning: $PINNING."
        echo "- each run: wrk, 1 thread, ${DURATION} s, after a warm-up of 2 × ${WARMUP} s on each route; load average before $LOAD_BEFORE, after $LOAD_AFTER."
        echo
        echo "### Targets"
        echo
        targets
        echo
        if ((MISSED == 0)); then
            echo "All targets met."
        else
            echo "$MISSED target(s) missed; see above."
        fi
    } >"$REPORT"
    cat "$REPORT"
    log "report and raw wrk output in $OUT"
}

# --- the run -----------------------------------------------------------------------------------

main() {
    mkdir -p "$OUT"
    check_tools
    choose_pinning
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    build
    prepare_sessions
    measure_disk

    start_standin
    time_startups # the server then runs, with the 10-session folder
    sleep 2
    RSS_IDLE_MB=$(rss_mb "$SERVER_PID" VmRSS)
    GC_MODE=$(gc_mode)
    log "first answer after $STARTUP_MS ms; idle at $RSS_IDLE_MB MB ($GC_MODE)"

    # From here on the server sees 100,000 stored sessions (and /start adds to them), except while
    # the lookups among 10 are measured.
    use_sessions many
    check_routes
    warm_up_all
    measure_lookups

    set_upstream_delay 0
    measure_server_routes "0|64" 64
    measure_floors "0|64" 64
    set_upstream_delay 100
    measure_server_routes "100|64" 64
    measure_floors "100|64" 64
    measure_server_routes "100|256" 256
    measure_floors "100|256" 256

    sleep 2
    RSS_LOADED_MB=$(rss_mb "$SERVER_PID" VmRSS)
    RSS_PEAK_MB=$(rss_mb "$SERVER_PID" VmHWM)
    LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
    report
}

main "$@"
