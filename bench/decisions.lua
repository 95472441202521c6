-- wrk script of bench/decisions.sh: each request a webhook delivery of an interview never seen
-- before (a durable server would otherwise collapse repeats into one record, and inline /approve
-- answer them from its ledger). BENCH_PATH is the route (/approve by default).
-- At the end it prints one machine-readable line, WRK ..., that decisions.sh parses.

local path = os.getenv("BENCH_PATH") or "/approve"
local headers = { ["Content-Type"] = "application/json" }
local prefix = ""
local counter = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  prefix = string.format("%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
end

function request()
  counter = counter + 1
  local body = string.format('{"interviewId":"bench-%s-%d","onboardingStatus":"ONBOARDING_FINISHED"}', prefix, counter)
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
