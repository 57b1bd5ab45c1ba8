-- wrk script: every request carries the staff session cookie (WRK_COOKIE, taken by wrk_bench.py
-- from a real log-in), and any answer but 200 counts as an error (wrk itself counts only >= 400:
-- a 302 to /login would hide an expired session).
local cookie = os.getenv("WRK_COOKIE") or ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
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
