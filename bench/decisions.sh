#!/usr/bin/env bash
# bench/decisions.sh: how many webhook deliveries a second one core acknowledges with
# WEBHOOK_PROCESSING=durable (file store, then Redis) beside inline /approve, each delivery a new
# finished onboarding. Inline, the answer waits for Incode's score and approval and the approve-once
# ledger's writes; durable, for one durable record, while the worker decides in the background on
# the same core. Incode is bench/IncodeStandIn (BENCH_UPSTREAM_MS late), Redis is Garnet
# (bench/GarnetHost), both on the load cores with wrk. For humans, not CI.
#
# Per mode and run: acks/s as wrk saw them, and the server's CPU time per ack (from /proc), whose
# inverse is acks/s per core: the figure that holds on a machine where others also run.
#
# Knobs (environment), defaults in brackets:
#   BENCH_RUNS [3]  BENCH_DURATION seconds a run [7]  BENCH_WARMUP seconds [3]  BENCH_CONNS [32]
#   BENCH_UPSTREAM_MS the stand-in's delay [0]   BENCH_MODES [inline file redis]
#   BENCH_WORK_DIR where the stores go; its file system is the one measured [/tmp]
#   BENCH_APP_CORE [0]  BENCH_LOAD_CORES [every other core]
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
RUNS=${BENCH_RUNS:-3}
DURATION=${BENCH_DURATION:-7}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNS:-32}
UPSTREAM_MS=${BENCH_UPSTREAM_MS:-0}
MODES=${BENCH_MODES:-inline file redis}
WORK_PARENT=${BENCH_WORK_DIR:-${TMPDIR:-/tmp}}
APP_CORE=${BENCH_APP_CORE:-0}
LOAD_CORES=${BENCH_LOAD_CORES:-$(seq 0 $(($(nproc) - 1)) | grep -vx "$APP_CORE" | paste -sd, || true)}
SERVER_PORT=39190
STANDIN_PORT=39191
REDIS_PORT=39192
HZ=$(getconf CLK_TCK)

die() { echo "bench: $*" >&2; exit 2; }
for tool in dotnet wrk curl taskset; do command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y wrk)"; done
[[ -n "$LOAD_CORES" ]] || die "needs two cores or more"

WORK=$(mktemp -d "$WORK_PARENT/incodeslices-decisions-bench.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() { # wait_for <url>
    for _ in $(seq 1 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
    die "nothing answered $1"
}

wait_for_port() { # wait_for_port <port>
    for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
    die "nothing listens on $1"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "bench: publishing (Release)…" >&2
dotnet publish "$REPO/src/Host" -c Release -o "$WORK/server" -p:PublishReadyToRun=false >/dev/null
dotnet publish "$REPO/bench/IncodeStandIn" -c Release -o "$WORK/standin" >/dev/null
[[ " $MODES " == *" redis "* ]] && dotnet publish "$REPO/bench/GarnetHost" -c Release -o "$WORK/garnet" >/dev/null

taskset -c "$LOAD_CORES" "$WORK/standin/IncodeStandIn" serve --port "$STANDIN_PORT" --delay-ms "$UPSTREAM_MS" >/dev/null 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$STANDIN_PORT/bench/calls"
if [[ " $MODES " == *" redis "* ]]; then
    taskset -c "$LOAD_CORES" "$WORK/garnet/GarnetHost" "$REDIS_PORT" >/dev/null 2>&1 &
    PIDS+=($!)
    wait_for_port "$REDIS_PORT"
fi

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
for mode in $MODES; do
    settings=(API_URL="http://127.0.0.1:$STANDIN_PORT" API_KEY=bench-api-key FLOW_ID=bench-flow ADMIN_TOKEN=bench-admin-token
        PORT="$SERVER_PORT" SESSIONS_DIR="$WORK/sessions-$mode" RATE_LIMIT_PER_MINUTE=0 LOG_LEVEL=warning ASPNETCORE_ENVIRONMENT=Production)
    case "$mode" in
        inline) ;;
        file) settings+=(WEBHOOK_PROCESSING=durable) ;;
        redis) settings+=(WEBHOOK_PROCESSING=durable SESSION_STORE=redis REDIS_URL="127.0.0.1:$REDIS_PORT" REDIS_KEY_PREFIX="bench-$RANDOM:") ;;
        *) die "unknown mode $mode" ;;
    esac
    (cd "$WORK" && exec env "${settings[@]}" taskset -c "$APP_CORE" "$WORK/server/IncodeSlices.Host" >"$WORK/server-$mode.log" 2>&1) &
    server=$!
    PIDS+=($server)
    wait_for "http://127.0.0.1:$SERVER_PORT/health"
    pid=$(pgrep -P "$server" -f IncodeSlices.Host || echo "$server")

    BENCH_PATH=/approve taskset -c "$LOAD_CORES" wrk -t1 -c"$CONNS" -d"${WARMUP}s" -s "$BENCH_DIR/decisions.lua" "http://127.0.0.1:$SERVER_PORT" >/dev/null
    for run in $(seq 1 "$RUNS"); do
        before=$(cpu_ticks "$pid")
        line=$(BENCH_PATH=/approve taskset -c "$LOAD_CORES" wrk -t1 -c"$CONNS" -d"${DURATION}s" -s "$BENCH_DIR/decisions.lua" \
            "http://127.0.0.1:$SERVER_PORT" | grep '^WRK ')
        after=$(cpu_ticks "$pid")
        eval "${line#WRK }"
        # shellcheck disable=SC2154 # set by the eval of wrk's line
        awk -v mode="$mode" -v run="$run" -v n="$requests" -v us="$duration_us" -v bad="$((non2xx + socket_errors))" \
            -v p50="$p50_us" -v p99="$p99_us" -v ticks="$((after - before))" -v hz="$HZ" 'BEGIN {
                cpu_us = ticks / hz * 1e6 / n
                printf "%s\t%d\t%.0f\t%.1f\t%.0f\t%d\t%.1f\t%.1f\n", mode, run, n / (us / 1e6), cpu_us, 1e6 / cpu_us, bad, p50 / 1000, p99 / 1000
            }' | tee -a "$RESULTS" >&2
    done
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
done

echo
echo "/approve, each delivery a new finished onboarding; $CONNS connections, Incode ${UPSTREAM_MS} ms; median of $RUNS runs of ${DURATION}s [min–max];"
echo "server on core $APP_CORE, wrk, the stand-in and Redis on $LOAD_CORES; load average now $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| mode | acks/s | server CPU µs/ack | acks/s per core | errors | p50 ms | p99 ms |"
echo "|---|---|---|---|---|---|---|"
for mode in $MODES; do
    awk -F'\t' -v mode="$mode" '$1 == mode' "$RESULTS" | sort -t$'\t' -k3,3n | awk -F'\t' '
        { rate[NR] = $3; cpu[NR] = $4; core[NR] = $5; bad += $6; p50[NR] = $7; p99[NR] = $8 }
        END {
            m = int((NR + 1) / 2)
            label = $1 == "inline" ? "inline /approve" : $1 == "file" ? "durable, file store" : "durable, Redis (Garnet)"
            printf "| %s | %.0f [%.0f–%.0f] | %.1f | %.0f | %d | %.1f | %.1f |\n", label, rate[m], rate[1], rate[NR], cpu[m], core[m], bad, p50[m], p99[m]
        }'
done
