#!/usr/bin/env bash
# Start `warden serve` on the gateway reference policy with its demo facts,
# after printing two curl commands to try against it: a read-only key
# registering a model (403 naming the missing scope) and a write key (200).
#
# usage: scripts/serve-demo.sh BUILD_DIR   (from the repository root)
# WARDEN_DEMO_PORT sets the port (default 8181). Runs until Ctrl-C.
set -euo pipefail
build="$1"
port="${WARDEN_DEMO_PORT:-8181}"
mkdir -p "$build/artifacts"
"$build/cli/warden" compile policies/gateway -o "$build/artifacts/gateway.wdn" > /dev/null

url="http://127.0.0.1:$port/v1/authz"
register="-H 'X-Original-Method: POST' -H 'X-Original-URI: /api/2.0/mlflow/registered-models/create' -H 'X-Tenant-ID: acme'"
cat <<TEXT
== warden serve: the gateway policy on 127.0.0.1:$port (Ctrl-C stops it)
Try, from another terminal:

# a read-only key registering a model: 403, the body names the missing scope
curl -i $url $register -H 'Authorization: Bearer k-read'

# a write key: 200
curl -i $url $register -H 'Authorization: Bearer k-write'

TEXT
exec "$build/cli/warden" serve "$build/artifacts/gateway.wdn" --facts fixtures/facts/gateway.jsonl \
  --listen "127.0.0.1:$port" --decision-log -
