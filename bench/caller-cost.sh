#!/usr/bin/env bash
# bench/caller-cost.sh: what caller authentication costs the routes that do not need a caller (#21).
#
#   bench/caller-cost.sh <server executable> [rounds=5] [seconds=5] [connections=32]
#
# Launches the published server (sandbox mode) alternately without and with CALLER_JWT_AUTHORITY
# (an issuer that is never reached: the routes measured do not need a caller; the resume is the open one), pinned to core 0, and
# drives each route below with wrk from core 1 for <seconds>, <rounds> times each way. Routes:
# /health (every middleware, no endpoint of ours), /start?uniqueId= (an open resume of a route
# that joins caller authentication) and POST /webhook (a slice that never needs a caller). Prints
# the median requests per second of each way and their ratio: on/off near 1.00 is the bar.
set -euo pipefail
server=${1:?usage: $0 <server executable> [rounds] [seconds] [connections]}
rounds=${2:-5} seconds=${3:-5} conns=${4:-32}
work=$(mktemp -d)
port=3918
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
post=$work/post.lua
printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
    "'{\"interviewId\":\"6650f0c2a1b2c3d4e5f60718\",\"onboardingStatus\":\"ID_VALIDATION_FINISHED\"}'" > "$post"

launch() { # <off|on>
    local extra=()
    [[ $1 == on ]] && extra=(CALLER_JWT_AUTHORITY=http://127.0.0.1:9/ CALLER_JWT_AUDIENCE=bench CALLER_JWT_REQUIRE_HTTPS=false CALLER_EXTERNAL_ID=none)
    env ASPNETCORE_ENVIRONMENT=Development PORT=$port SESSIONS_DIR="$work/sessions" INCODE_SANDBOX=true RATE_LIMIT_PER_MINUTE=0 \
        LOG_LEVEL=error "${extra[@]}" taskset -c 0 "$server" >/dev/null 2>&1 &
    pid=$!
    until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.1; done
    # One session, started while caller authentication is off, resumed by both ways.
    [[ -s $work/id ]] || curl -s "http://127.0.0.1:$port/start" | python3 -c 'import json,sys; print(json.load(sys.stdin)["uniqueId"])' > "$work/id"
}

for ((r = 1; r <= rounds; r++)); do
    for way in off on; do
        launch $way
        id=$(cat "$work/id")
        for route in health resume webhook; do
            case $route in
                health) args=("http://127.0.0.1:$port/health") ;;
                resume) args=("http://127.0.0.1:$port/start?uniqueId=$id") ;;
                webhook) args=(-s "$post" "http://127.0.0.1:$port/webhook") ;;
            esac
            taskset -c 1 wrk -t1 -c"$conns" -d1s "${args[@]}" >/dev/null # warm
            rps=$(taskset -c 1 wrk -t1 -c"$conns" -d"${seconds}s" "${args[@]}" | awk '/Requests\/sec/ { print $2 }')
            printf '%s\t%s\t%s\n' "$way" "$route" "$rps"
        done
        kill "$pid"; wait "$pid" 2>/dev/null || true
    done
done | tee "$work/runs.tsv"
python3 - "$work/runs.tsv" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
for route in dict.fromkeys(r[1] for r in rows):
    off, on = (statistics.median(float(r[2]) for r in rows if r[0] == way and r[1] == route) for way in ("off", "on"))
    print(f"{route:8} off {off:8.0f} req/s  on {on:8.0f} req/s  on/off {on / off:.3f}")
PY
