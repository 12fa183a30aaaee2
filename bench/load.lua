-- wrk script for bench/load.sh: a mix of pages, server-rendered search and the JSON API,
-- read from the file named by CAIRN_LOAD_PATHS (one path per line), and a count of every
-- response that is not a 2xx (wrk's own "Non-2xx" line leaves out 3xx answers).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("CAIRN_LOAD_PATHS")) do
    if #line > 0 then table.insert(paths, line) end
  end
  -- Each thread starts at a different place in the list, so they do not move in step.
  counter = math.random(#paths)
  non2xx = 0
  by_status = {}
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    by_status[status] = (by_status[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non2xx")
  end
  io.write(string.format("requests: %d in %.1f s (%.0f/s)\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("non-2xx responses: %d\n", total))
end
