-- POST /api/v1/requests: each request runs the matcher and makes offers.
-- TOKEN (a member's access token) and START/END (RFC 3339) come from the environment.
local token = os.getenv("TOKEN")
local start_at = os.getenv("START")
local end_at = os.getenv("END")
local categories = {"shopping", "gardening", "diy", "cleaning", "it_help", "companionship", "transport", "paperwork", "other"}
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"category":"%s","description":"Load test job %d","window":{"start":"%s","end":"%s"},"duration_minutes":60}',
    categories[(n % #categories) + 1], n, start_at, end_at)
  return wrk.format("POST", "/api/v1/requests",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
