-- POST <FQ_PATH> (default /api/persons): registers a new person with a
-- passport number nobody has used: B<FQ_RUN>-<thread>-<counter>, where FQ_RUN
-- is unique per run (bench/run.sh passes the start time), so every request is
-- a real, durable creation (201) and never a duplicate (409). The session
-- cookie and the X-CSRF-Token header come from wrk -H (bench/run.sh).
local path = os.getenv("FQ_PATH") or "/api/persons"
local run = os.getenv("FQ_RUN") or tostring(os.time())
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
end

function init(args)
   n = 0
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   n = n + 1
   local body = string.format(
      '{"name":"压测%d","doc_type":"passport","id_number":"B%s-%d-%d",' ..
      '"phone":"138%08d","tags":["foreigner"]}',
      n % 1000, run, tid or 0, n, n % 100000000)
   return wrk.format("POST", path, nil, body)
end
