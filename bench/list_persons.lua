-- FQ_LIST=page (default): GET <FQ_PATH>?page=1&per_page=20 (FQ_PATH is
-- /api/persons by default), the newest twenty persons in the caller's scope.
-- FQ_LIST=search: GET <FQ_PATH>?q=<surname>&page=1&per_page=20, a name-prefix
-- search for one of the five commonest surnames (each a few per cent of all
-- persons). The session cookie comes from wrk -H (bench/run.sh).
local path = os.getenv("FQ_PATH") or "/api/persons"
local mode = os.getenv("FQ_LIST") or "page"
-- 陈 李 刘 王 张, URL-encoded UTF-8
local surnames = { "%E9%99%88", "%E6%9D%8E", "%E5%88%98", "%E7%8E%8B", "%E5%BC%A0" }
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("seed", counter * 7919)
end

function init(args)
   math.randomseed(seed or 1)
end

function request()
   if mode == "search" then
      local q = surnames[math.random(1, #surnames)]
      return wrk.format("GET", path .. "?q=" .. q .. "&page=1&per_page=20")
   end
   return wrk.format("GET", path .. "?page=1&per_page=20")
end
