-- POST /api/incidents: a new call each time (a real, durable intake: 201).
-- The narrative varies with the thread and a counter; FQ_RUN (the start
-- time, from bench/incidents.sh) keeps runs apart. The bearer token comes
-- from wrk -H.
local run = os.getenv("FQ_RUN") or tostring(os.time())
local counter = 0
local texts = {"楼上噪音扰民", "借款不还手持借条", "彩礼纠纷", "电动车被盗", "老人走失"}

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
      '{"channel":"phone","category":"help","narrative":"压测 %s，第%s-%d-%d次"}',
      texts[n % #texts + 1], run, tid or 0, n)
   return wrk.format("POST", "/api/incidents", nil, body)
end
