-- POST /v1/decide on the gateway policy: an HTTP request by API key.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"api_key":"k-write","method":"POST","path":"/api/2.0/mlflow/registered-models/create","headers":{"X-Tenant-ID":"acme"}}'
