-- wrk script: every request carries the staff session cookie (WRK_COOKIE, taken by wrk_bench.py
-- from a real log-in), and any answer but 200 counts as an error (wrk itself counts only >= 400:
-- a 302 to /login would hide an expired session).
local cookie = os.getenv("WRK_COOKIE") or ""
-- WRK_RANDOM_PAGES=N: each request asks a random page 1..N of the list (most of them not cached).
local pages = tonumber(os.getenv("WRK_RANDOM_PAGES") or "0")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end

if pages > 0 then
  function request()
    local path = wrk.path:gsub("page=%d+", "page=" .. math.random(1, pages))
    return wrk.format(nil, path)
  end
end

function init(args)
  math.randomseed(os.time() * 100 + (seed or 0))
  wrong = 0
  if cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
end

function response(status, headers, body)
  if status ~= 200 then
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("wrong")
  end
  io.write(string.format("not_200 %d\n", total))
end
