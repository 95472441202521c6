-- wrk script shared by every load run of bench/run.sh. What to send comes from the environment,
-- so one script serves all routes:
--   BENCH_BODY      a JSON body: the request becomes a POST with Content-Type: application/json
--   BENCH_TOKEN     sent as X-Token (what /fetch-score requires)
--   BENCH_IDS       a file of session ids, one a line: each request asks for
--                   <path of the URL><a random id>, so lookups spread over all stored sessions
-- At the end it prints one machine-readable line, WRK ..., that run.sh parses.

local body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
local ids_file = os.getenv("BENCH_IDS")

if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
if token and token ~= "" then
  wrk.headers["X-Token"] = token
end

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
end

if ids_file and ids_file ~= "" then
  local ids = {}
  for line in io.lines(ids_file) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  assert(#ids > 0, "BENCH_IDS has no ids: " .. ids_file)

  function init(args)
    math.randomseed(os.time() + (thread_number or 0) * 7919)
  end

  -- Only defined when ids are given: without a request() function wrk sends one prebuilt request.
  function request()
    return wrk.format(nil, wrk.path .. ids[math.random(#ids)])
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
