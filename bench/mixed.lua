-- The mixed load for wrk: a weighted mix of the main pages, each with the session of the role
-- that opens it. bench/load.py writes the mix file and runs
--
--   wrk -t2 -c16 -d30s -s bench/mixed.lua http://127.0.0.1:PORT -- MIXFILE
--
-- MIXFILE: one page a line, tab-separated: weight, session cookie, path, name.
-- The server runs as behind the TLS proxy (BEHIND_TLS_PROXY=true), so every request says
-- X-Forwarded-Proto: https, as the proxy would.
-- done() prints one line "BENCH_RESULT {json}": page views/s, latency percentiles in ms, the
-- socket errors and the answers that were not 200 (a redirect to the sign-in page is one).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

local function read_mix(path)
   local pages, total = {}, 0
   local file = assert(io.open(path, "r"), "cannot open the mix file " .. tostring(path))
   for line in file:lines() do
      local weight, cookie, page_path, name = line:match("^(%d+)\t([^\t]*)\t([^\t]+)\t(.*)$")
      if weight then
         total = total + tonumber(weight)
         table.insert(pages, {
            upto = total,
            name = name,
            request = wrk.format("GET", page_path, {
               ["Cookie"] = cookie,
               ["X-Forwarded-Proto"] = "https",
               ["Accept-Language"] = "kk",
            }),
         })
      end
   end
   file:close()
   assert(#pages > 0, "the mix file lists no pages")
   return pages, total
end

function init(args)
   pages, total = read_mix(args[1])
   not_ok = 0
   math.randomseed(os.time() + 7919 * id)
end

function request()
   local pick = math.random(total)
   for _, page in ipairs(pages) do
      if pick <= page.upto then
         return page.request
      end
   end
   return pages[#pages].request
end

function response(status, headers, body)
   if status ~= 200 then
      not_ok = not_ok + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("not_ok") or 0)
   end
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "seconds": %.3f, "page_views_per_s": %.1f, '
         .. '"requests_per_s": %.1f, "not_200": %d, '
         .. '"latency_ms": {"p50": %.2f, "p90": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f, '
         .. '"mean": %.2f}, '
         .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}}\n',
      summary.requests, seconds, (summary.requests - bad) / seconds,
      summary.requests / seconds, bad,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(95) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000,
      e.connect, e.read, e.write, e.timeout))
end
