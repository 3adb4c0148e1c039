-- GET <FQ_PATH><random id>, by default /api/persons/<id>: one primary-key
-- read, masked and encoded. FQ_PERSONS is the highest id (default 1000000).
-- The session cookie comes from wrk -H "Cookie: fq_session=…" (bench/run.sh).
local path = os.getenv("FQ_PATH") or "/api/persons/"
local max_id = tonumber(os.getenv("FQ_PERSONS") or "1000000")
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("seed", counter * 7919)
end

function init(args)
   math.randomseed(seed or 1)
end

function request()
   return wrk.format("GET", path .. math.random(1, max_id))
end
