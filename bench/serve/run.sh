#!/usr/bin/env bash
# Load benchmark of `warden serve` (not a test): wrk with keep-alive against
# /v1/decide and /v1/authz on the gateway and model-permissions policies,
# and, in the same run, against nginx serving a static 200 on the same
# machine — the ratio to nginx is the figure to quote (docs/performance.md).
#
# usage: bench/serve/run.sh [BUILD_DIR]   (from the repository root; default
#        build-release, built by scripts/run.sh or
#        scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release -DWARDEN_WERROR=OFF)
# WRK_DURATION (default 10s), WRK_CONNECTIONS (64), WRK_THREADS (2),
# SERVE_THREADS (cores) tune it. Everything listens on loopback only.
set -euo pipefail
build="${1:-build-release}"
warden="$build/cli/warden"
here="$(cd "$(dirname "$0")" && pwd)"
duration="${WRK_DURATION:-10s}"
connections="${WRK_CONNECTIONS:-64}"
threads="${WRK_THREADS:-2}"
serve_threads="${SERVE_THREADS:-$(nproc)}"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 400); do
    (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on $1" >&2; exit 1
}

"$warden" compile policies/gateway -o "$tmp/gateway.wdn" > /dev/null
"$warden" compile policies/model_permissions -o "$tmp/model_permissions.wdn" > /dev/null

start_serve() {  # NAME ARTIFACT FACTS -> port in $port
  port=$(free_port)
  "$warden" serve "$tmp/$2" --facts "$3" --listen "127.0.0.1:$port" --threads "$serve_threads" \
    --decision-log "$tmp/$1.decisions.jsonl" --log-max-bytes 268435456 --log-keep 1 2> "$tmp/$1.log" &
  pids+=($!)
  wait_port "$port"
}

# nginx: a static 200 from memory, as many workers as cores, no access log.
nginx_port=$(free_port)
sed -e "s|@PREFIX@|$tmp|g" -e "s|@PORT@|$nginx_port|g" "$here/nginx-static.conf.in" > "$tmp/nginx.conf"
nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" &
pids+=($!)
wait_port "$nginx_port"

start_serve gateway gateway.wdn fixtures/facts/gateway.jsonl
gateway_port=$port
start_serve model_permissions model_permissions.wdn fixtures/suites/model_permissions/facts.json
models_port=$port

run() {  # LABEL URL [LUA]
  local label="$1" url="$2" lua="${3:-}"
  echo "== $label"
  if [ -n "$lua" ]; then
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/$lua" "$url" | tee "$tmp/$label.txt"
  else
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" | tee "$tmp/$label.txt"
  fi
}

run nginx-static "http://127.0.0.1:$nginx_port/"
run gateway-authz "http://127.0.0.1:$gateway_port/v1/authz" authz.lua
run gateway-decide "http://127.0.0.1:$gateway_port/v1/decide" decide_gateway.lua
run models-decide "http://127.0.0.1:$models_port/v1/decide" decide_models.lua

echo
echo "== summary (requests/s; latency p50 / p99; ratio to nginx static)"
rps() { awk '/^Requests\/sec/ {print $2}' "$tmp/$1.txt"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$tmp/$1.txt"; }
base=$(rps nginx-static)
for label in nginx-static gateway-authz gateway-decide models-decide; do
  r=$(rps "$label")
  printf '%-16s %10s req/s  p50 %-8s p99 %-8s  %.2fx nginx\n' "$label" "$r" "$(pct "$label" 50%)" "$(pct "$label" 99%)" \
    "$(awk -v a="$r" -v b="$base" 'BEGIN {print a / b}')"
done
for name in gateway model_permissions; do
  grep -h '"event":"stopped"' "$tmp/$name.log" || true
done
