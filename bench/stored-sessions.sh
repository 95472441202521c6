#!/usr/bin/env bash
# bench/stored-sessions.sh: does the number of stored sessions delay the first answer? (#21)
#
#   bench/stored-sessions.sh <server executable> [sessions=100000] [launches=10]
#
# Makes two sessions folders, one holding <sessions> sessions (each with the two records of who owns
# it, as /start writes them: three files a session) and one holding a single session, then launches
# the published server (sandbox mode, no Incode needed) over each in turn, alternating, and times the
# first answer to /start?uniqueId=<a stored session> with bench/first-answer.sh. Side by side in one
# run, so that the machine's load falls on both alike. Prints each launch and the medians.
set -euo pipefail
server=${1:?usage: $0 <server executable> [sessions] [launches]}
count=${2:-100000}
launches=${3:-10}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fill() { # <folder> <how many>: sandbox sessions live in <SESSIONS_DIR>/sandbox
    python3 - "$1/sandbox" "$2" <<'PY'
import hashlib, json, os, sys, uuid
root, n = sys.argv[1], int(sys.argv[2])
for sub in ("", "session-interviews", "session-tokens"):
    os.makedirs(os.path.join(root, sub), exist_ok=True)
first = None
for i in range(n):
    uid = str(uuid.uuid4())
    first = first or uid
    token, interview = f"sandbox.{uuid.uuid4().hex}", uuid.uuid4().hex[:24]
    with open(os.path.join(root, uid + ".json"), "w") as f:
        json.dump({"token": token, "interviewId": interview, "uniqueId": uid}, f, indent=2)
    owner = json.dumps({"interviewId": interview, "uniqueId": uid, "user": None, "externalCustomerId": None}).encode()
    for sub, key in (("session-interviews", interview), ("session-tokens", token)):
        with open(os.path.join(root, sub, hashlib.sha256(key.encode()).hexdigest() + ".json"), "wb") as f:
            f.write(owner)
print(first)
PY
}

few=$(fill "$work/few" 1)
many=$(fill "$work/many" "$count")
echo "stored: 1 and $count sessions ($(find "$work/many" -type f | wc -l) files)" >&2

port=3917
for ((i = 1; i <= launches; i++)); do
    for kind in few many; do
        id=$([[ $kind == few ]] && echo "$few" || echo "$many")
        ASPNETCORE_ENVIRONMENT=Development PORT=$port SESSIONS_DIR="$work/$kind" INCODE_SANDBOX=true LOG_LEVEL=warning \
            "$here/first-answer.sh" "$kind" "http://127.0.0.1:$port/start?uniqueId=$id" 1 -- "$server"
    done
done | tee "$work/runs.tsv"
python3 - "$count" "$work/runs.tsv" <<'PY'
import statistics, sys
count, rows = sys.argv[1], [line.split("\t") for line in open(sys.argv[2]).read().split("\n") if line]
ms = {k: statistics.median(int(r[1]) for r in rows if r[0] == k) for k in ("few", "many")}
cpu = {k: statistics.median(int(r[2]) for r in rows if r[0] == k) for k in ("few", "many")}
print(f"median first answer: 1 session {ms['few']:.0f} ms, {count} sessions {ms['many']:.0f} ms "
      f"({(ms['many'] - ms['few']) * 100 / ms['few']:+.0f}%); CPU by then {cpu['few']:.0f} ms / {cpu['many']:.0f} ms")
PY
