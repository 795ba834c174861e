-- wrk script: each request checks a random code from the file named by $CODES, under the path
-- prefix $PREFIX (e.g. /api/v1/verify/ or /S/).
local codes = {}
local prefix = os.getenv("PREFIX") or "/api/v1/verify/"
for line in io.lines(os.getenv("CODES")) do
  if #line > 0 then codes[#codes + 1] = line end
end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", prefix .. codes[math.random(#codes)])
end
