-- GET /api/v1/requests/{id} for one request the member owns. TOKEN and ID from the environment.
local token = os.getenv("TOKEN")
local id = os.getenv("ID")
request = function()
  return wrk.format("GET", "/api/v1/requests/" .. id, {["Authorization"] = "Bearer " .. token})
end
