-- POST /api/v1/requests: each request runs the matcher and makes offers, at a random place over
-- Greater London (the same box the helpers are seeded in), in a random category.
-- TOKEN (a member's access token) and START/END (RFC 3339) come from the environment.
local token = os.getenv("TOKEN")
local start_at = os.getenv("START")
local end_at = os.getenv("END")
local categories = {"shopping", "gardening", "diy", "cleaning", "it_help", "companionship", "transport", "paperwork", "other"}
local n = 0
setup = function(thread)
  thread:set("seed", math.random(1, 1000000))
end
init = function()
  math.randomseed(seed)
end
request = function()
  n = n + 1
  local lat = 51.28 + math.random() * 0.42
  local lon = -0.51 + math.random() * 0.84
  local body = string.format(
    '{"category":"%s","description":"Load test job %d","window":{"start":"%s","end":"%s"},"duration_minutes":60,"location":{"lat":%.5f,"lon":%.5f}}',
    categories[math.random(1, #categories)], n, start_at, end_at, lat, lon)
  return wrk.format("POST", "/api/v1/requests",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
