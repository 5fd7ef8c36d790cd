-- nginx auth_request as warden sees it: a read-only key registering a model
-- (denied, 403) and a write key (allowed, 200), alternately.
local n = 0
request = function()
  n = n + 1
  local key = (n % 2 == 0) and "k-write" or "k-read"
  return wrk.format("GET", nil, {
    ["X-Original-Method"] = "POST",
    ["X-Original-URI"] = "/api/2.0/mlflow/registered-models/create",
    ["X-Tenant-ID"] = "acme",
    ["Authorization"] = "Bearer " .. key,
  })
end
