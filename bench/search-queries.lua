-- wrk script for /api/search: every request carries the next query of a rotating list of
-- what readers type (whole words, phrases, prefixes mid-typing, typos, filters), so no
-- single posting list or cached answer dominates the figure.
-- Usage: wrk -s bench/search-queries.lua http://127.0.0.1:PORT
local queries = {
  "circuit breaker", "cache", "cache aside", "idempot", "idempotency keys",
  "rate limiting", "token bucket", "consistent hashing", "sharding", "leader election",
  "\"write through\"", "thundring herd", "circut breaker", "retries backoff jitter",
  "load shedding", "bulkhead", "timeouts deadlines", "health checks", "replication lag",
  "quorum", "outbox", "saga", "exactly once", "dead letter queue", "back pressure",
  "url shortener", "chat", "payments", "kafka", "redis", "lazy loading", "p99 latency",
  "slo error budget", "graceful degradation", "cache stampede", "refresh ahead",
  "write behind", "eviction lru", "hot key", "partition", "read through", "rebalanc",
  "consistency", "cap theorem", "vector clock", "gossip", "snowflake id", "fan out",
}
local filters = { "", "", "", "&category=caching", "&level=intro", "&limit=20" }

local function encode(text)
  return (text:gsub("[^%w%-_%.~]", function(character)
    return string.format("%%%02X", string.byte(character))
  end))
end

-- Each wrk thread starts at a different place in the list.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
end

local position = 0
function request()
  position = position + 1
  local index = (position + (offset or 0)) % #queries + 1
  local path = "/api/search?q=" .. encode(queries[index]) .. filters[position % #filters + 1]
  return wrk.format("GET", path, { ["Accept-Encoding"] = "br, gzip" })
end

-- A non-200 answer would make the figure meaningless: count them for the report.
local failures = 0
function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end
