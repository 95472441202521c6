#!/usr/bin/env bash
# bench/telemetry.sh: what metrics and tracing cost the server (issue 14's target: throughput with
# both on within 5 % of both off).
#
# Publishes the server and the stand-in (which also plays an OTLP collector that keeps nothing),
# then, pinned like bench/run.sh (server on core 0, wrk and the stand-in on the other), runs
# /onboarding-status at 0 ms upstream in rounds: telemetry off, then on (METRICS_PORT scraped every
# second by curl as Prometheus would, OTEL_EXPORTER_OTLP_ENDPOINT at the stand-in), the order swapped
# every round. Each app is warmed up before its rounds. Prints req/s and CPU µs/request per round and
# the median ratio on ÷ off. Knobs: BENCH_ROUNDS (5), BENCH_DURATION seconds a round (7),
# BENCH_WARMUP seconds (60), BENCH_CONNS (64), BENCH_TELEMETRY (both; or metrics, or traces: what
# "on" switches on), BENCH_ON_ENV (more VAR=value settings for "on").
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${BENCH_ROUNDS:-5} DURATION=${BENCH_DURATION:-7} WARMUP=${BENCH_WARMUP:-60} TELEMETRY=${BENCH_TELEMETRY:-both} CONNS=${BENCH_CONNS:-64}
WORK=$(mktemp -d) PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install -y wrk)" >&2; exit 2; }
if (($(nproc) >= 2)); then APP=(taskset -c 0) LOAD=(taskset -c 1-$(($(nproc) - 1))); else APP=() LOAD=(); fi

dotnet publish src/Host/IncodeSlices.Host.csproj -c Release -o "$WORK/server" >/dev/null
dotnet publish bench/IncodeStandIn/IncodeStandIn.csproj -c Release -o "$WORK/standin" >/dev/null
"${LOAD[@]}" dotnet "$WORK/standin/IncodeStandIn.dll" serve --port 39481 --delay-ms 0 >"$WORK/standin.log" 2>&1 &
PIDS+=($!)

# start <name> <port> [VAR=value...]: the server with those settings, until it answers.
start() {
    local name=$1 port=$2; shift 2
    mkdir -p "$WORK/$name/sessions"
    (cd "$WORK/$name" && exec env API_URL=http://127.0.0.1:39481 API_KEY=bench-api-key FLOW_ID=bench-flow \
        ADMIN_TOKEN=bench-admin-token RATE_LIMIT_PER_MINUTE=0 PORT="$port" SESSIONS_DIR="$WORK/$name/sessions" "$@" \
        "${APP[@]}" dotnet "$WORK/server/IncodeSlices.Host.dll" >"$WORK/$name.log" 2>&1) &
    PIDS+=($!)
    for _ in $(seq 300); do curl -fso /dev/null "http://127.0.0.1:$port/health" && return 0; sleep 0.1; done
    echo "$name did not start; see $WORK/$name.log" >&2; exit 2
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$(pgrep -f "dotnet $WORK/server/IncodeSlices.Host.dll" | while read -r p; do
    grep -q "PORT=$1" "/proc/$p/environ" 2>/dev/null && echo "$p"; done | head -1)/stat"; }
load() { "${LOAD[@]}" wrk -t1 -c"$CONNS" -d"$2s" --timeout 5s "http://127.0.0.1:$1/onboarding-status?interviewId=6650f0c2a1b2c3d4e5f60718"; }

start off 39480
on=()
[[ $TELEMETRY == traces ]] || on+=(METRICS_PORT=39483)
[[ $TELEMETRY == metrics ]] || on+=(OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:39481 OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
read -ra extra <<<"${BENCH_ON_ENV:-}" # more settings for "on", e.g. a sampler: OTEL_TRACES_SAMPLER=…
start on 39482 "${on[@]}" "${extra[@]}"
(while :; do curl -fso /dev/null http://127.0.0.1:39483/metrics || true; sleep 1; done) &
PIDS+=($!)
load 39480 "$WARMUP" >/dev/null
load 39482 "$WARMUP" >/dev/null

declare -A rps cpu
for round in $(seq "$ROUNDS"); do
    order=(off on); ((round % 2)) || order=(on off)
    for name in "${order[@]}"; do
        port=$([[ $name == off ]] && echo 39480 || echo 39482)
        before=$(cpu_ticks "$port")
        out=$(load "$port" "$DURATION")
        after=$(cpu_ticks "$port")
        requests=$(awk '/requests in/{print $1}' <<<"$out")
        rps[$name,$round]=$(awk '/Requests\/sec/{print $2}' <<<"$out")
        cpu[$name,$round]=$(( (after - before) * 1000000 / $(getconf CLK_TCK) / requests ))
    done
    printf 'round %d: off %s req/s (%s µs/req), on %s req/s (%s µs/req)\n' "$round" \
        "${rps[off,$round]}" "${cpu[off,$round]}" "${rps[on,$round]}" "${cpu[on,$round]}"
done
rows=$(for r in $(seq "$ROUNDS"); do echo "${rps[off,$r]} ${rps[on,$r]} ${cpu[off,$r]} ${cpu[on,$r]}"; done)
python3 - "$rows" <<'PY'
import statistics, sys
rows = [tuple(map(float, line.split())) for line in sys.argv[-1].splitlines()]
ratios = [on / off for off, on, _, _ in rows]
cpu = [con / coff for _, _, coff, con in rows]
print(f"throughput on ÷ off: median {statistics.median(ratios):.3f} [{min(ratios):.3f}-{max(ratios):.3f}]; "
      f"CPU per request on ÷ off: median {statistics.median(cpu):.3f} [{min(cpu):.3f}-{max(cpu):.3f}]; target: throughput ≥ 0.95")
PY
