-- Shared by the wrk scripts of scripts/bench-http.sh (loaded with dofile). Each wrk thread has its own Lua state:
-- setup() numbers the threads, done() adds up what each counted.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function read_tsv(path)
  local rows = {}
  for line in io.lines(path) do
    local fields = {}
    for field in string.gmatch(line, "[^\t]+") do table.insert(fields, field) end
    table.insert(rows, fields)
  end
  return rows
end

-- Pacing: with a target rate per thread (wrk's args: RATE_PER_THREAD), each thread sends its requests on a fixed
-- schedule (one every 1000 / rate ms, whichever of its connections is free); 0 or none sends the next request as soon
-- as a connection's last one is answered (the peak). wrk's delay() waits before a request; the clock is the monotonic
-- one, through LuaJIT's FFI (wrk's Lua has no clock finer than seconds).
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *now);
]]
local clock = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local interval_ms, next_slot = 0, nil
function paced(args)
  local rate = tonumber(args[2] or "0")
  if rate and rate > 0 then interval_ms = 1000 / rate end
end

function delay()
  if interval_ms == 0 then return 0 end
  local now = now_ms()
  next_slot = math.max(next_slot or now, now - interval_ms) + interval_ms
  return math.max(0, next_slot - now)
end

ok, refused, failed = 0, 0, 0
function response(status, headers, body)
  if status == 200 or status == 201 then ok = ok + 1
  elseif status >= 400 and status < 500 then refused = refused + 1
  else failed = failed + 1 end
end

function done(summary, latency, requests)
  local sum_ok, sum_refused, sum_failed = 0, 0, 0
  for _, thread in ipairs(threads) do
    sum_ok = sum_ok + thread:get("ok")
    sum_refused = sum_refused + thread:get("refused")
    sum_failed = sum_failed + thread:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT ok=%d refused=%d failed=%d socket_errors=%d seconds=%.2f rate=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    sum_ok, sum_refused, sum_failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    seconds, sum_ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
