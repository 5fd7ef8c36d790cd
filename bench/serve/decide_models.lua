-- POST /v1/decide on the model-permissions policy: a user whose team holds a
-- grant updating a model (grant resolution through team membership).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"principal":{"id":"carol"},"action":"update","resource":{"type":"model","id":"churn"}}'
