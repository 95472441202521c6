#!/usr/bin/env bash
# bench/run.sh: how close is IncodeSlices to a bare ASP.NET Core floor, and is it within its targets?
#
# Publishes the server and the floor (bench/Floor) in Release, starts a local stand-in for Incode
# (bench/IncodeStandIn), runs both against it on the same core, drives load with wrk, and prints
# tables of medians with their spread plus a PASS/FAIL line per target of issue 11. For humans, not
# CI: it takes minutes and its numbers move with whatever else the machine is doing.
#
# Exit status: 0 when the bench ran (even if targets were missed: the output says so), 2 when the
# bench itself could not run. All traffic stays on 127.0.0.1.
#
# Knobs (environment), defaults in brackets:
#   BENCH_RUNS        times the measurement set is repeated; each figure is the median [3]
#   BENCH_DURATION    seconds per measured wrk run [7]
#   BENCH_WARMUP      seconds of unmeasured load per route and app, twice over, before the runs [3]
#   BENCH_CONNS       connections of the 0 ms throughput runs (the targets allow 32-64) [64]
#   BENCH_NOISY_CONNS connections of the quiet and noisy /start runs [8]
#   BENCH_NOISE_MB    what the noisy neighbour writes per pass, with fdatasync, in a loop [2048]
#   BENCH_SESSIONS    sessions stored while measuring [100000]
#   BENCH_STARTS      timed launches of each app [3]
#   BENCH_WORK_DIR    where the temporary sessions folder goes; its file system is the one measured [/tmp]
#   BENCH_APP_CORE    the core the server and the floor share [0]
#   BENCH_LOAD_CORES  taskset list for wrk, the stand-in and the neighbour [every other core]
#   BENCH_PUBLISH_ARGS extra arguments of the server's publish, e.g. the JIT build that was the default
#                     before Native AOT: "-p:PublishAot=false -p:PublishReadyToRun=true -p:SelfContained=false" []
#   BENCH_SERVER_DIR  a server already published (its folder) to measure instead of publishing one []
#   BENCH_SERVER_PORT [39180]  BENCH_STANDIN_PORT [39181]  BENCH_FLOOR_PORT [39182]
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")

RUNS=${BENCH_RUNS:-3}
DURATION=${BENCH_DURATION:-7}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNS:-64}
LATENCY_CONNS=64 # the p99 target's setting
NOISY_CONNS=${BENCH_NOISY_CONNS:-8}
NOISE_MB=${BENCH_NOISE_MB:-2048}
SESSIONS=${BENCH_SESSIONS:-100000}
STARTS=${BENCH_STARTS:-3}
WORK_PARENT=${BENCH_WORK_DIR:-${TMPDIR:-/tmp}}
SERVER_PORT=${BENCH_SERVER_PORT:-39180}
STANDIN_PORT=${BENCH_STANDIN_PORT:-39181}
FLOOR_PORT=${BENCH_FLOOR_PORT:-39182}
APP_CORE=${BENCH_APP_CORE:-0}
LOAD_CORES=${BENCH_LOAD_CORES:-}
LAUNCH_SESSIONS=10 # stored while launches are timed, as on a fresh deployment

STANDIN_URL="http://127.0.0.1:$STANDIN_PORT"
INTERVIEW_ID=6650f0c2a1b2c3d4e5f60718
WEBHOOK_BODY='{"interviewId":"6650f0c2a1b2c3d4e5f60718","onboardingStatus":"ONBOARDING_FINISHED"}'

# Every measured route; all but the first call Incode.
ROUTES=("/start?uniqueId=" /start /onboarding-status /fetch-score /webhook)
UPSTREAM_ROUTES=(/start /onboarding-status /fetch-score /webhook)

# Issue 11's targets.
TARGET_RATIO=0.6
TARGET_P99_MS=110
TARGET_NOISY_RATIO=3
TARGET_RSS_IDLE_MB=64
TARGET_RSS_LOADED_MB=128
TARGET_FIRST_ANSWER_MS=300

OUT="$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)"
RUNS_TSV="$OUT/runs.tsv"         # a line per measured wrk run
LAUNCHES_TSV="$OUT/launches.tsv" # a line per timed launch
MEMORY_TSV="$OUT/memory.tsv"     # a line per app after each run's load
REPORT="$OUT/report.md"
WORK=""          # temporary: published apps, sessions, the noisy neighbour's file; removed on exit
SESSIONS_DIR=""  # what both apps get as SESSIONS_DIR while measured
STANDIN_PID=""
SERVER_PID=""
FLOOR_PID=""
NOISE_PID=""

die() {
    echo "bench: $*" >&2
    exit 2
}

log() {
    echo "[$(date +%H:%M:%S)] $*" >&2
}

cleanup() {
    # Only what this script started, by pid (the neighbour by the process group it leads); waited
    # for, so that a run right after finds the ports free.
    stop_noise
    stop "$SERVER_PID"
    stop "$FLOOR_PID"
    stop "$STANDIN_PID"
    if [[ -n "$WORK" && -d "$WORK" ]]; then
        # The apps' logs grow by a line or two per request: only their ends are kept.
        local app
        for app in server floor; do
            [[ -f "$WORK/$app.log" ]] && tail -n 2000 "$WORK/$app.log" >"$OUT/$app.log"
        done
        rm -rf "$WORK"
    fi
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
    for tool in dotnet wrk curl awk dd setsid; do
        command -v "$tool" >/dev/null || die "$tool is not installed (wrk: apt-get install -y wrk)"
    done
    ((RUNS >= 1 && DURATION >= 1 && STARTS >= 1)) || die "BENCH_RUNS, BENCH_DURATION and BENCH_STARTS must be at least 1"
    # 64 connections in, 64 out, plus session files: more than the usual 1024 descriptors at peaks.
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    local port
    for port in "$SERVER_PORT" "$STANDIN_PORT" "$FLOOR_PORT"; do
        if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
            die "port $port is already in use (another bench? set BENCH_SERVER_PORT / BENCH_STANDIN_PORT / BENCH_FLOOR_PORT)"
        fi
    done
}

# The server and the floor share one core, loaded in turn, so each is measured on the same core in
# the same minutes; wrk, the stand-in, the start-up poller and the noisy neighbour get the others,
# so neither app's numbers are eaten by its own load generator.
choose_pinning() {
    if command -v taskset >/dev/null && (($(nproc) >= 2)); then
        [[ -n "$LOAD_CORES" ]] || LOAD_CORES=$(seq 0 $(($(nproc) - 1)) | grep -vx "$APP_CORE" | paste -sd,)
        LOAD_CPUS=" $(expand_cores "$LOAD_CORES" | paste -sd' ') "
        PIN_APP=(taskset -c "$APP_CORE")
        PIN_LOAD=(taskset -c "$LOAD_CORES")
        PINNING="server and floor on core $APP_CORE, loaded in turn (A-B, the order swapped every run); wrk, the Incode stand-in, the start-up poller and the noisy neighbour on core(s) $LOAD_CORES"
    else
        LOAD_CORES=""
        LOAD_CPUS=""
        PIN_APP=()
        PIN_LOAD=()
        PINNING="none (taskset missing or fewer than 2 cores): every process shares every core"
    fi
}

# expand_cores <taskset list>: "1-3,5" → 1 2 3 5, a line each.
expand_cores() {
    local part
    for part in ${1//,/ }; do
        if [[ $part == *-* ]]; then seq "${part%-*}" "${part#*-}"; else echo "$part"; fi
    done
}

prepare_work() {
    mkdir -p "$WORK_PARENT"
    WORK=$(mktemp -d "$WORK_PARENT/incodeslices-bench.XXXXXX")
    FS_INFO=$(findmnt -no FSTYPE,SOURCE -T "$WORK" 2>/dev/null | awk '{ print $1 " on " $2 }' || true)
    FS_DEVICE=$(findmnt -no MAJ:MIN -T "$WORK" 2>/dev/null | tr -d ' ' || true)
    [[ "$FS_INFO" != tmpfs* ]] || log "warning: $WORK is on tmpfs, where fdatasync writes nothing; set BENCH_WORK_DIR to a disk"
}

# The server as the Dockerfile publishes it (Release, `dotnet publish`), so that whatever the
# publish adds (ReadyToRun, trimming of what loads at start-up) is what memory and start-up measure.
build() {
    log "publishing the server and the floor (Release), building the stand-in"
    if [[ -n "${BENCH_SERVER_DIR:-}" ]]; then
        mkdir -p "$WORK/publish" && cp -a "$BENCH_SERVER_DIR" "$WORK/publish/server"
    else
        # shellcheck disable=SC2086 # BENCH_PUBLISH_ARGS is a list of arguments
        dotnet publish "$REPO/src/Host/IncodeSlices.Host.csproj" -c Release -o "$WORK/publish/server" -nologo -v quiet ${BENCH_PUBLISH_ARGS:-} >"$OUT/build.log" 2>&1 \
            || die "server publish failed, see $OUT/build.log"
    fi
    dotnet publish "$BENCH_DIR/Floor/Floor.csproj" -c Release -o "$WORK/publish/floor" -nologo -v quiet >>"$OUT/build.log" 2>&1 \
        || die "floor publish failed, see $OUT/build.log"
    dotnet build "$BENCH_DIR/IncodeStandIn/IncodeStandIn.csproj" -c Release -nologo -v quiet >>"$OUT/build.log" 2>&1 \
        || die "stand-in build failed, see $OUT/build.log"
    # The publish is a native executable (Native AOT); a JIT build (-p:PublishAot=false) is a .dll.
    SERVER_DLL="$WORK/publish/server/IncodeSlices.Host"
    [[ -x "$SERVER_DLL" ]] || SERVER_DLL="$SERVER_DLL.dll"
    FLOOR_DLL="$WORK/publish/floor/Floor.dll"
    STANDIN_DLL="$BENCH_DIR/IncodeStandIn/bin/Release/net10.0/IncodeStandIn.dll"
    [[ -f "$SERVER_DLL" && -f "$FLOOR_DLL" && -f "$STANDIN_DLL" ]] || die "build output not found"
}

# Two folders: a few sessions for the timed launches (a fresh deployment; the server sweeps its
# folder at start-up), and BENCH_SESSIONS for everything measured under load. Each app gets one
# folder for its whole life, so nothing depends on how it opens the folder.
prepare_sessions() {
    log "storing $LAUNCH_SESSIONS + $SESSIONS sessions in $WORK"
    seed "$WORK/launch-sessions" "$LAUNCH_SESSIONS" "$OUT/ids-launch"
    seed "$WORK/sessions" "$SESSIONS" "$WORK/ids"
    SESSIONS_DIR="$WORK/sessions"
    IDS_FILE="$WORK/ids"
}

# seed <folder> <count> <ids file>: writes <count> session files, appending their ids to the file.
seed() {
    dotnet "$STANDIN_DLL" seed --dir "$1" --count "$2" --ids "$3" >>"$OUT/standin.log" 2>&1 || die "seeding sessions failed"
}

start_standin() {
    log "starting the Incode stand-in on $STANDIN_URL"
    "${PIN_LOAD[@]}" dotnet "$STANDIN_DLL" serve --port "$STANDIN_PORT" --delay-ms 0 >>"$OUT/standin.log" 2>&1 &
    STANDIN_PID=$!
    local i
    for i in $(seq 150); do
        [[ "$(http_code -H 'x-api-key: k' -H 'api-version: 1.0' -H 'X-Incode-Hardware-Id: t' "$STANDIN_URL/omni/get/score?id=$INTERVIEW_ID")" == 200 ]] && return 0
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

port_of() { if [[ $1 == server ]]; then echo "$SERVER_PORT"; else echo "$FLOOR_PORT"; fi; }
base_of() { echo "http://127.0.0.1:$(port_of "$1")"; }
dll_of() { if [[ $1 == server ]]; then echo "$SERVER_DLL"; else echo "$FLOOR_DLL"; fi; }
runner_of() { [[ "$(dll_of "$1")" == *.dll ]] && echo dotnet || true; } # a native executable runs itself
pid_of() { if [[ $1 == server ]]; then echo "$SERVER_PID"; else echo "$FLOOR_PID"; fi; }
set_pid() { if [[ $1 == server ]]; then SERVER_PID=$2; else FLOOR_PID=$2; fi; }

# launch <app> <sessions folder> <an id stored there>: starts the app on the app core and waits for
# its first answered request (that id's /start?uniqueId=, no Incode call), polled as fast as curl
# goes from the load core. Sets LAUNCH_MS, from launch to that answer.
launch() {
    local app=$1 sessions=$2 id=$3 cwd="$OUT/cwd-$1" probe started pid deadline
    mkdir -p "$cwd" # an empty working directory: no stray .env is read
    probe="$(base_of "$app")/start?uniqueId=$id"
    started=$(date +%s%N)
    (
        cd "$cwd"
        # The server's cost cap would turn a load test of /start into a test of the cap.
        exec env API_URL="$STANDIN_URL" API_KEY=bench-api-key FLOW_ID=bench-flow ADMIN_TOKEN=bench-admin-token \
            RATE_LIMIT_PER_MINUTE=0 PORT="$(port_of "$app")" SESSIONS_DIR="$sessions" "${PIN_APP[@]}" $(runner_of "$app") "$(dll_of "$app")"
    ) >>"$WORK/$app.log" 2>&1 &
    pid=$!
    set_pid "$app" "$pid"
    deadline=$((started + 30000000000))
    while [[ "$("${PIN_LOAD[@]}" curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$probe" || true)" != 200 ]]; do
        kill -0 "$pid" 2>/dev/null || die "the $app exited at start-up, see $OUT/$app.log"
        (($(date +%s%N) < deadline)) || die "the $app did not answer within 30 s, see $OUT/$app.log"
    done
    LAUNCH_MS=$((($(date +%s%N) - started) / 1000000))
}

# time_launches <app>: BENCH_STARTS launches against the small folder, each timed to its first
# answer and its resident memory read 2 s later, then stopped; then the launch that stays up for
# the load, against the large folder.
time_launches() {
    local app=$1 i pid
    for ((i = 1; i <= STARTS; i++)); do
        launch "$app" "$WORK/launch-sessions" "$(head -n 1 "$OUT/ids-launch")"
        sleep 2
        pid=$(pid_of "$app")
        printf '%s\t%d\t%d\t%s\n' "$app" "$i" "$LAUNCH_MS" "$(rss_mb "$pid" VmRSS)" >>"$LAUNCHES_TSV"
        log "$app launch $i: first answer after $LAUNCH_MS ms, $(rss_mb "$pid" VmRSS) MB resident 2 s later"
        [[ $app == server && $i == 1 ]] && SERVER_GC=$(gc_mode "$pid" "$SERVER_DLL")
        [[ $app == floor && $i == 1 ]] && FLOOR_GC=$(gc_mode "$pid" "$FLOOR_DLL")
        stop "$pid"
        set_pid "$app" ""
        wait_for_free_port "$(port_of "$app")"
    done
    launch "$app" "$SESSIONS_DIR" "$(head -n 1 "$IDS_FILE")"
}

wait_for_free_port() {
    local i
    for i in $(seq 100); do
        curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" || return 0
        sleep 0.1
    done
    die "port $1 is still in use after the app was stopped"
}

# --- the route check ---------------------------------------------------------------------------

# The stand-in's answered calls, "<path> <count>" a line.
upstream_calls() {
    curl -s -f --max-time 2 "$STANDIN_URL/bench/calls" || die "the stand-in's call count did not answer"
}

# probe <app> <route>: the route once, as wrk sends it; dies unless it answers 200 after exactly the
# Incode call the server makes for it. Sets PROBE_BODY.
probe() {
    local app=$1 route=$2 url args=() before after made expected answer code
    url="$(base_of "$app")$route"
    case $route in
        "/start?uniqueId=") url+=$(head -n 1 "$IDS_FILE"); expected="" ;;
        /start) expected="/omni/start 1" ;;
        /onboarding-status) url+="?interviewId=$INTERVIEW_ID"; expected="/omni/get/onboarding/status 1" ;;
        /fetch-score)
            url+="?interviewId=$INTERVIEW_ID"
            args=(-H "X-Token: bench-session-token")
            expected="/omni/get/score 1"
            ;;
        /webhook)
            args=(-X POST -H "Content-Type: application/json" --data-binary "$WEBHOOK_BODY")
            expected="/omni/get/score 1"
            ;;
        *) die "no probe for $route" ;;
    esac
    before=$(upstream_calls)
    answer=$(curl -s --max-time 5 -w '\n%{http_code}' "${args[@]}" "$url") || true
    after=$(upstream_calls)
    code=${answer##*$'\n'}
    PROBE_BODY=${answer%$'\n'*}
    [[ "$code" == 200 ]] || die "the $app's $route answered $code instead of 200 (logs in $OUT)"
    made=$(awk 'NR == FNR { before[$1] = $2; next } $2 != before[$1] { print $1, $2 - before[$1] }' \
        <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sort)
    [[ "$made" == "$expected" ]] \
        || die "the $app's $route made these Incode calls: '${made//$'\n'/, }' (expected '${expected}')"
}

# Before any load, every route of both apps once: each answers 200 after the same Incode call, the
# two answer the same JSON, and each resumes a session the other stored (same file, same format).
# A bench that measured fast 404s, or a floor doing less than the server, would measure nothing.
check_routes() {
    log "checking that the server and the floor make the same calls and give the same answers"
    local route server_body floor_body server_id floor_id token
    for route in "/start?uniqueId=" /onboarding-status /fetch-score /webhook; do
        probe server "$route"
        server_body=$PROBE_BODY
        probe floor "$route"
        floor_body=$PROBE_BODY
        if [[ $route == /webhook ]]; then # the timestamps may differ by a second
            server_body=$(sed -E 's/"timestamp":"[^"]*"/"timestamp":""/' <<<"$server_body")
            floor_body=$(sed -E 's/"timestamp":"[^"]*"/"timestamp":""/' <<<"$floor_body")
        fi
        [[ "$server_body" == "$floor_body" ]] \
            || die "$route: the server answered $server_body, the floor $floor_body"
    done

    local shape='^\{"token":"[^"]+","uniqueId":"[0-9a-f-]{36}"\}$'
    probe server /start
    [[ "$PROBE_BODY" =~ $shape ]] || die "/start: the server answered $PROBE_BODY"
    server_id=$(sed -E 's/.*"uniqueId":"([^"]+)".*/\1/' <<<"$PROBE_BODY")
    token=$(sed -E 's/.*"token":"([^"]+)".*/\1/' <<<"$PROBE_BODY")
    probe floor /start
    [[ "$PROBE_BODY" =~ $shape ]] || die "/start: the floor answered $PROBE_BODY"
    floor_id=$(sed -E 's/.*"uniqueId":"([^"]+)".*/\1/' <<<"$PROBE_BODY")
    [[ "$(curl -s "$(base_of floor)/start?uniqueId=$server_id")" == "{\"token\":\"$token\",\"uniqueId\":\"$server_id\"}" ]] \
        || die "the floor cannot resume a session the server stored"
    [[ "$(curl -s "$(base_of server)/start?uniqueId=$floor_id")" == "{\"token\":\"$token\",\"uniqueId\":\"$floor_id\"}" ]] \
        || die "the server cannot resume a session the floor stored"
    cmp -s "$SESSIONS_DIR/$server_id.json" <(sed "s/$floor_id/$server_id/" "$SESSIONS_DIR/$floor_id.json") \
        || die "the floor's session file differs from the server's"
    [[ "$(stat -c %a "$SESSIONS_DIR/$server_id.json") $(stat -c %a "$SESSIONS_DIR/$floor_id.json")" == "600 600" ]] \
        || die "session files are not 0600"
}

# --- measuring ---------------------------------------------------------------------------------

rss_mb() {
    awk -v field="$2:" '$1 == field { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# CPU time (user + system) a process has used (its /proc folder given), in clock ticks. Fields are
# counted after the name in parentheses, which may hold spaces.
cpu_ticks() {
    sed 's/.*) //' "$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

# "busy total" clock ticks of the load cores so far (idle and iowait count as not busy).
load_core_ticks() {
    [[ -n "$LOAD_CPUS" ]] || { echo "0 0"; return; }
    awk -v cpus="$LOAD_CPUS" '
        $1 ~ /^cpu[0-9]+$/ && index(cpus, " " substr($1, 4) " ") {
            for (i = 2; i <= 9; i++) total += $i
            busy += $2 + $3 + $4 + $7 + $8 + $9
        }
        END { print busy + 0, total + 0 }' /proc/stat
}

# Sectors written so far to the device of the sessions' file system (0 when it cannot be told).
disk_sectors() {
    [[ -n "$FS_DEVICE" ]] || { echo 0; return; }
    awk -v dev="$FS_DEVICE" '$1 ":" $2 == dev { print $10; found = 1 } END { if (!found) print 0 }' /proc/diskstats
}

# What a process's garbage collector runs as. Server GC names one thread per heap; background
# (concurrent) GC is on unless the runtime config turns it off.
gc_mode() {
    local pid=$1 config="${2%.dll}.runtimeconfig.json" heaps concurrent=on
    heaps=$(cat /proc/"$pid"/task/*/comm 2>/dev/null | grep -c '^\.NET Server GC' || true)
    grep -qs '"System.GC.Concurrent": false' "$config" && concurrent=off # a native executable has no runtimeconfig
    if ((heaps > 0)); then
        echo "Server GC, $heaps heaps, concurrent $concurrent"
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

# alive <app>: dies with a clear line if the app is gone (crashed, or ended by someone else's kill).
alive() {
    kill -0 "$(pid_of "$1")" 2>/dev/null || die "the $1 (pid $(pid_of "$1")) is no longer running, see $OUT/$1.log"
}

# route_request <route>: sets REQUEST_PATH and REQUEST_ENV (wrk.lua's settings) for it.
route_request() {
    REQUEST_ENV=()
    case $1 in
        "/start?uniqueId=") REQUEST_PATH="/start?uniqueId="; REQUEST_ENV=(BENCH_IDS="$IDS_FILE") ;;
        /start) REQUEST_PATH=/start ;;
        /onboarding-status) REQUEST_PATH="/onboarding-status?interviewId=$INTERVIEW_ID" ;;
        /fetch-score) REQUEST_PATH="/fetch-score?interviewId=$INTERVIEW_ID"; REQUEST_ENV=(BENCH_TOKEN=bench-session-token) ;;
        /webhook) REQUEST_PATH=/webhook; REQUEST_ENV=(BENCH_BODY="$WEBHOOK_BODY") ;;
        *) die "unknown route $1" ;;
    esac
}

# measure <run> <app> <scenario> <route> <connections>: one wrk run, recorded in runs.tsv as
# run, app, scenario, route, req/s, p50 ms, p99 ms, errors (socket errors, timeouts, non-2xx),
# the app's CPU µs per request, how busy the load cores were (%), and MB/s written to the sessions'
# disk during the run.
measure() {
    local run=$1 app=$2 scenario=$3 route=$4 connections=$5 pid cpu_before core_before disk_before line
    pid=$(pid_of "$app")
    alive "$app"
    route_request "$route"
    log "run $run: $app $route ($scenario, $connections connections)"
    cpu_before=$(cpu_ticks "/proc/$pid")
    core_before=$(load_core_ticks)
    disk_before=$(disk_sectors)
    if [[ $scenario == noisy ]]; then
        wrk_beside_neighbour "$connections" "$(base_of "$app")$REQUEST_PATH" "${REQUEST_ENV[@]}"
        line=$WRK_LINE
    else
        line=$(wrk_run "$DURATION" "$connections" "$(base_of "$app")$REQUEST_PATH" "${REQUEST_ENV[@]}")
    fi
    echo "$run $app $scenario $route $line" >>"$OUT/wrk.log"
    alive "$app"
    awk -v run="$run" -v app="$app" -v scenario="$scenario" -v route="$route" -v hz="$(getconf CLK_TCK)" \
        -v ticks=$(($(cpu_ticks "/proc/$pid") - cpu_before)) -v core="$core_before $(load_core_ticks)" \
        -v sectors=$(($(disk_sectors) - disk_before)) -v has_core="${LOAD_CPUS:+1}" -v has_disk="${FS_DEVICE:+1}" '
        {
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            seconds = v["duration_us"] / 1e6
            errors = v["connect"] + v["read"] + v["write"] + v["timeout"] + v["status"]
            cpu = v["requests"] > 0 ? sprintf("%.0f", ticks / hz * 1e6 / v["requests"]) : "-"
            split(core, c, " ")
            busy = has_core && c[4] > c[2] ? sprintf("%.0f", 100 * (c[3] - c[1]) / (c[4] - c[2])) : "-"
            disk = has_disk ? sprintf("%.1f", sectors * 512 / 1048576 / seconds) : "-"
            printf "%s\t%s\t%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%s\t%s\t%s\n", run, app, scenario, route,
                v["requests"] / seconds, v["p50_us"] / 1000, v["p99_us"] / 1000, errors, cpu, busy, disk
        }' <<<"$line" >>"$RUNS_TSV"
}

# The order in which the two apps are loaded in a run: swapped every run, so that neither always
# goes first (the compiler's drift, a neighbour's burst at the start of a phase).
apps_in_order() {
    if (($1 % 2)); then echo server floor; else echo floor server; fi
}

# wrk_beside_neighbour <connections> <url> [VAR=value...]: wrk for as long as a noisy neighbour
# writes to the sessions' file system: from the load cores, passes of BENCH_NOISE_MB written and
# flushed (dd conv=fdatasync), until BENCH_DURATION has passed and the pass under way is done. So
# every moment measured is one in which another process is writing, its page-cache phase and its
# flush alike. Sets WRK_LINE. The neighbour leads a process group of its own, so that stopping it
# also stops the dd inside; it runs in this shell, not a subshell, so that the exit trap can stop it.
# It runs at the lowest CPU priority: it is there to load the disk. Copying 2 GB into the page cache
# at full priority on the load core took that core from wrk and the stand-in, and so added hundreds
# of milliseconds to both apps' latency that had nothing to do with the disk.
wrk_beside_neighbour() {
    local connections=$1 url=$2 out="$OUT/wrk-noisy.out" wrk_pid cap=$((10 * DURATION + 120))
    shift 2
    NOISE_FILE="$WORK/noisy-neighbour.bin"
    setsid "${PIN_LOAD[@]}" bash -c '
        end=$((SECONDS + $3))
        while :; do
            start=$SECONDS
            nice -n 19 dd if=/dev/zero of="$1" bs=1M count="$2" conv=fdatasync status=none || exit 1
            echo "$2 MB written and flushed in $((SECONDS - start)) s"
            ((SECONDS < end)) || exit 0
        done' noisy-neighbour "$NOISE_FILE" "$NOISE_MB" "$DURATION" >>"$OUT/noise.log" 2>&1 &
    NOISE_PID=$!
    env "$@" "${PIN_LOAD[@]}" wrk -t1 -c"$connections" -d"${cap}s" --timeout 5s -s "$BENCH_DIR/wrk.lua" "$url" >"$out" 2>&1 &
    wrk_pid=$!
    wait -n "$NOISE_PID" "$wrk_pid" || true
    kill -INT "$wrk_pid" 2>/dev/null || true # wrk stops on SIGINT and still reports
    wait "$wrk_pid" || true
    stop_noise
    WRK_LINE=$(grep '^WRK ' "$out") || die "wrk failed beside the noisy neighbour against $url, see $out"
}

stop_noise() {
    [[ -n "$NOISE_PID" ]] || return 0
    kill -TERM -- "-$NOISE_PID" 2>/dev/null || kill -TERM "$NOISE_PID" 2>/dev/null || true
    wait "$NOISE_PID" 2>/dev/null || true
    NOISE_PID=""
    rm -f "$NOISE_FILE"
}

# Unmeasured load on every route of both apps, round-robin, twice. .NET compiles each method
# quickly first and optimised once it is hot, and it starts counting calls only after a quiet spell
# without new compilations: 100 ms, but ten times that in a process that may use one core only. On
# one core an app reaches full speed only after tens of seconds of load; measured any earlier, each
# route would look slower than the one after it.
warm_up() {
    log "warming up every route of both apps (2 rounds of $WARMUP s each)"
    set_upstream_delay 0
    local round route app
    for round in 1 2; do
        for route in "${ROUTES[@]}"; do
            route_request "$route"
            for app in server floor; do
                wrk_run "$WARMUP" "$CONNS" "$(base_of "$app")$REQUEST_PATH" "${REQUEST_ENV[@]}" >/dev/null
            done
        done
    done
}

# One measurement set: every route at 0 ms upstream (throughput), the Incode routes at 100 ms and
# 64 connections (latency), /start quiet and beside the noisy neighbour; then resident memory.
measure_set() {
    local run=$1 route app
    set_upstream_delay 0
    for route in "${ROUTES[@]}"; do
        for app in $(apps_in_order "$run"); do measure "$run" "$app" 0ms "$route" "$CONNS"; done
    done
    set_upstream_delay 100
    for route in "${UPSTREAM_ROUTES[@]}"; do
        for app in $(apps_in_order "$run"); do measure "$run" "$app" 100ms "$route" "$LATENCY_CONNS"; done
    done
    set_upstream_delay 0
    for app in $(apps_in_order "$run"); do measure "$run" "$app" quiet /start "$NOISY_CONNS"; done
    for app in $(apps_in_order "$run"); do
        measure "$run" "$app" noisy /start "$NOISY_CONNS"
        sleep 2 # the file system discards the neighbour's freed blocks; not in anyone's run
    done
    for app in server floor; do
        printf '%s\t%s\t%s\t%s\n' "$run" "$app" "$(rss_mb "$(pid_of "$app")" VmRSS)" "$(rss_mb "$(pid_of "$app")" VmHWM)" >>"$MEMORY_TSV"
    done
}

# --- reporting ---------------------------------------------------------------------------------

# values <app> <scenario> <route> <column>: the column's value in each run, a line each.
values() {
    awk -F'\t' -v app="$1" -v scenario="$2" -v route="$3" -v col="$4" \
        '$2 == app && $3 == scenario && $4 == route && $col != "-" { print $col }' "$RUNS_TSV"
}

# ratios <scenario> <route> <column> <numerator app> <denominator app> [denominator scenario]: the
# ratio of the two values in each run, a line each.
ratios() {
    awk -F'\t' -v scenario="$1" -v route="$2" -v col="$3" -v num="$4" -v den="$5" -v den_scenario="${6:-$1}" '
        $4 == route && $2 == num && $3 == scenario && $col != "-" { n[$1] = $col }
        $4 == route && $2 == den && $3 == den_scenario && $col != "-" { d[$1] = $col }
        END { for (run in n) if ((run in d) && d[run] > 0) print n[run] / d[run] }' "$RUNS_TSV"
}

# errors <scenario> <route> <app>: errors over every run.
errors() {
    awk -F'\t' -v scenario="$1" -v route="$2" -v app="$3" \
        '$2 == app && $3 == scenario && $4 == route { sum += $8 } END { print sum + 0 }' "$RUNS_TSV"
}

# summary: numbers on stdin → "median min max count", nothing when there are none.
summary() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR], NR }'
}

# fmt <decimals> <"median min max count">: "median [min–max]" ("median" alone from one run), or "-".
fmt() {
    awk -v d="$1" -v s="$2" 'BEGIN {
        if (split(s, v, " ") < 4) { print "-"; exit }
        f = "%." d "f"
        out = sprintf(f, v[1])
        if (v[4] > 1) out = out sprintf(" [" f "–" f "]", v[2], v[3])
        print out
    }'
}

cell() { fmt "$1" "$(values "${@:2}" | summary)"; }

# verdict <what> <"median min max count"> <ge|le> <target> <decimals> [unit] [errors]: a PASS or
# FAIL line, on the median; a miss says by how much, and failed requests fail the figure too.
verdict() {
    local what=$1 stats=$2 op=$3 target=$4 decimals=$5 unit=${6:-} errors=${7:-0} shown sign met by failed=""
    sign="≤"
    [[ $op == ge ]] && sign="≥"
    if [[ -z "$stats" ]]; then
        echo "- FAIL: $what: not measured (target $sign $target$unit)"
        MISSED=$((MISSED + 1))
        return 0
    fi
    shown=$(fmt "$decimals" "$stats")
    read -r met by < <(awk -v m="${stats%% *}" -v t="$target" -v op="$op" -v d="$decimals" \
        'BEGIN { x = m - t; printf "%d %." d "f\n", (op == "ge" ? m >= t : m <= t), x < 0 ? -x : x }')
    [[ $errors == 0 ]] || failed=", with $errors failed requests"
    if [[ $met == 1 && -z "$failed" ]]; then
        echo "- PASS: $what: $shown$unit (target $sign $target$unit)"
        return 0
    fi
    if [[ $met == 1 ]]; then
        echo "- FAIL: $what: $shown$unit (target $sign $target$unit)$failed"
    else
        echo "- FAIL: $what: $shown$unit (target $sign $target$unit), missed by $by$unit$failed"
    fi
    MISSED=$((MISSED + 1))
}

throughput_table() {
    echo "| route | server req/s | floor req/s | ratio | server p99 ms | floor p99 ms | server CPU µs/req | floor CPU µs/req | CPU ratio | errors server / floor | load cores busy % (floor runs) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    local route
    for route in "${ROUTES[@]}"; do
        echo "| \`$route\` | $(cell 0 server 0ms "$route" 5) | $(cell 0 floor 0ms "$route" 5)" \
            "| $(fmt 2 "$(ratios 0ms "$route" 5 server floor | summary)")" \
            "| $(cell 2 server 0ms "$route" 7) | $(cell 2 floor 0ms "$route" 7)" \
            "| $(cell 0 server 0ms "$route" 9) | $(cell 0 floor 0ms "$route" 9)" \
            "| $(fmt 2 "$(ratios 0ms "$route" 9 floor server | summary)")" \
            "| $(errors 0ms "$route" server) / $(errors 0ms "$route" floor) | $(cell 0 floor 0ms "$route" 10) |"
    done
}

# A floor whose load cores were all but saturated was held back by wrk and the stand-in, not by
# itself: its req/s is then a lower bound, and the server's ratio an upper bound.
saturation_note() {
    local route busy held=()
    for route in "${ROUTES[@]}"; do
        busy=$(values floor 0ms "$route" 10 | summary)
        [[ -n "$busy" ]] && awk -v b="${busy%% *}" 'BEGIN { exit !(b >= 95) }' && held+=("\`$route\`")
    done
    ((${#held[@]} == 0)) && return 0
    echo
    echo "The load cores were ≥ 95 % busy while the floor ran ${held[*]}: there the floor was held back by wrk and the stand-in (or by other work on those cores), so its req/s is a lower bound and the ratio an upper bound. The CPU ratio does not depend on that."
}

latency_table() {
    echo "| route | server p50 ms | server p99 ms | floor p50 ms | floor p99 ms | server req/s | errors server / floor |"
    echo "|---|---|---|---|---|---|---|"
    local route
    for route in "${UPSTREAM_ROUTES[@]}"; do
        echo "| \`$route\` | $(cell 2 server 100ms "$route" 6) | $(cell 2 server 100ms "$route" 7)" \
            "| $(cell 2 floor 100ms "$route" 6) | $(cell 2 floor 100ms "$route" 7)" \
            "| $(cell 0 server 100ms "$route" 5) | $(errors 100ms "$route" server) / $(errors 100ms "$route" floor) |"
    done
    echo "| \`/start?uniqueId=\` (no Incode call: 0 ms runs, $CONNS conns) | $(cell 2 server 0ms "/start?uniqueId=" 6) | $(cell 2 server 0ms "/start?uniqueId=" 7)" \
        "| $(cell 2 floor 0ms "/start?uniqueId=" 6) | $(cell 2 floor 0ms "/start?uniqueId=" 7)" \
        "| $(cell 0 server 0ms "/start?uniqueId=" 5) | $(errors 0ms "/start?uniqueId=" server) / $(errors 0ms "/start?uniqueId=" floor) |"
}

noise_table() {
    echo "| app | quiet p99 ms | noisy p99 ms | noisy ÷ quiet | quiet req/s | noisy req/s | disk written while noisy, MB/s | errors quiet / noisy |"
    echo "|---|---|---|---|---|---|---|---|"
    local app
    for app in server floor; do
        echo "| $app | $(cell 2 "$app" quiet /start 7) | $(cell 2 "$app" noisy /start 7)" \
            "| $(fmt 1 "$(ratios noisy /start 7 "$app" "$app" quiet | summary)")" \
            "| $(cell 0 "$app" quiet /start 5) | $(cell 0 "$app" noisy /start 5) | $(cell 0 "$app" noisy /start 11)" \
            "| $(errors quiet /start "$app") / $(errors noisy /start "$app") |"
    done
}

# How long the neighbour's passes took, from its log: "n passes, a–b s each".
noise_passes() {
    awk '/written and flushed in/ { s = $(NF - 1); n++; if (n == 1 || s < lo) lo = s; if (s > hi) hi = s }
        END { if (n) printf "%d passes of %s–%s s", n, lo, hi; else printf "no pass finished" }' "$OUT/noise.log" 2>/dev/null || echo "no log"
}

launch_stat() { awk -F'\t' -v app="$1" -v col="$2" '$1 == app { print $col }' "$LAUNCHES_TSV" | summary; }
memory_stat() { awk -F'\t' -v app="$1" -v col="$2" '$2 == app { print $col }' "$MEMORY_TSV" | summary; }

memory_table() {
    echo "| | server | floor |"
    echo "|---|---|---|"
    echo "| first answer after launch, ms ($STARTS launches) | $(fmt 0 "$(launch_stat server 3)") | $(fmt 0 "$(launch_stat floor 3)") |"
    echo "| resident memory 2 s after that answer, MB | $(fmt 0 "$(launch_stat server 4)") | $(fmt 0 "$(launch_stat floor 4)") |"
    echo "| resident memory after each run's load, MB | $(fmt 0 "$(memory_stat server 3)") | $(fmt 0 "$(memory_stat floor 3)") |"
    echo "| peak resident memory (VmHWM) after each run, MB | $(fmt 0 "$(memory_stat server 4)") | $(fmt 0 "$(memory_stat floor 4)") |"
}

targets() {
    MISSED=0
    local route
    for route in /onboarding-status /fetch-score /webhook "/start?uniqueId=" /start; do
        verdict "\`$route\` req/s ÷ floor's, 0 ms upstream, $CONNS conns" "$(ratios 0ms "$route" 5 server floor | summary)" \
            ge "$TARGET_RATIO" 2 "" $(($(errors 0ms "$route" server) + $(errors 0ms "$route" floor)))
    done
    for route in "${UPSTREAM_ROUTES[@]}"; do
        verdict "\`$route\` p99, 100 ms upstream, $LATENCY_CONNS conns" "$(values server 100ms "$route" 7 | summary)" \
            le "$TARGET_P99_MS" 2 " ms" "$(errors 100ms "$route" server)"
    done
    verdict "\`/start?uniqueId=\` p99 (no Incode call), $CONNS conns" "$(values server 0ms "/start?uniqueId=" 7 | summary)" \
        le "$TARGET_P99_MS" 2 " ms" "$(errors 0ms "/start?uniqueId=" server)"
    verdict "\`/start\` p99 beside a writer of $NOISE_MB MB ÷ quiet, $NOISY_CONNS conns" \
        "$(ratios noisy /start 7 server server quiet | summary)" le "$TARGET_NOISY_RATIO" 1
    verdict "resident memory idle" "$(launch_stat server 4)" le "$TARGET_RSS_IDLE_MB" 0 " MB"
    verdict "resident memory after load" "$(memory_stat server 3)" le "$TARGET_RSS_LOADED_MB" 0 " MB"
    verdict "first answer after launch" "$(launch_stat server 3)" le "$TARGET_FIRST_ANSWER_MS" 0 " ms"
}

report() {
    {
        echo "## IncodeSlices against the bare floor, $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo
        echo "Commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown); $RUNS run(s); each figure the median [min–max] over the runs."
        echo
        echo "### Throughput, 0 ms upstream, $CONNS connections"
        echo
        throughput_table
        saturation_note
        echo
        echo "### Latency, 100 ms upstream, $LATENCY_CONNS connections"
        echo
        latency_table
        echo
        echo "### \`/start\` beside a noisy neighbour, 0 ms upstream, $NOISY_CONNS connections"
        echo
        noise_table
        echo
        echo "### Memory and start-up"
        echo
        memory_table
        echo
        echo "### Targets (issue 11)"
        echo
        targets
        echo
        if ((MISSED == 0)); then echo "All targets met."; else echo "$MISSED target(s) missed; see above."; fi
        echo
        echo "### How"
        echo
        echo "- ratio: the server's req/s ÷ the floor's, run by run, then the median; CPU ratio: the floor's CPU µs/req ÷ the server's (1 = as cheap as the floor). The floor (bench/Floor) makes the same Incode call and the same answer; its \`/start\` makes the same durable write (fdatasync, renameat2, folder fsync, group-committed) and the same two ownership records (not flushed), its \`/webhook\` the same forgetting of a finished session's token."
        echo "- noisy neighbour: \`dd if=/dev/zero bs=1M count=$NOISE_MB conv=fdatasync\` on the sessions' file system ($FS_INFO), from the load cores, pass after pass until $DURATION s have passed; the noisy run lasts exactly as long as the passes ($(noise_passes)). Ratio: noisy p99 ÷ the quiet p99 measured just before, run by run."
        echo "- memory and start-up: the server as \`dotnet publish -c Release\` makes it, $STARTS launch(es) with $LAUNCH_SESSIONS sessions stored; first answer: a stored session's \`/start?uniqueId=\`, polled with curl from the load core. Server: $SERVER_GC; floor: $FLOOR_GC."
        echo "- load: wrk, 1 thread, $DURATION s a run, after 2 × $WARMUP s of warm-up on each route of each app; $SESSIONS sessions stored (and growing with each \`/start\` run)."
        echo "- pinning: $PINNING."
        echo "- load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores."
    } >"$REPORT"
    cat "$REPORT"
    log "report, raw wrk lines and logs in $OUT"
}

# --- the run -----------------------------------------------------------------------------------

main() {
    mkdir -p "$OUT"
    check_tools
    choose_pinning
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    prepare_work
    build
    prepare_sessions
    start_standin
    time_launches server
    time_launches floor
    check_routes
    warm_up
    local run
    for ((run = 1; run <= RUNS; run++)); do
        log "measurement set $run of $RUNS"
        measure_set "$run"
    done
    report
}

main "$@"
