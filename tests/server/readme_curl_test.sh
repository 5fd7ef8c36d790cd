#!/usr/bin/env bash
# The README's `warden serve` demo works as printed: start it the way
# scripts/run.sh does (scripts/serve-demo.sh), run the curl commands it
# prints, verbatim, and check the 403 names the missing scope and the 200;
# the README shows the same commands.
# usage: tests/server/readme_curl_test.sh BUILD_DIR   (from the repository root)
set -euo pipefail
build="$1"
tmp=$(mktemp -d)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WARDEN_DEMO_PORT=$port scripts/serve-demo.sh "$build" > "$tmp/out" 2> "$tmp/err" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT

# Ready when it answers (bounded: 20 s).
for _ in $(seq 1 400); do
  curl -sf "http://127.0.0.1:$port/readyz" > /dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { echo "FAIL: warden serve exited"; cat "$tmp/err"; exit 1; }
  sleep 0.05
done

mapfile -t commands < <(grep '^curl ' "$tmp/out")
[ ${#commands[@]} -eq 2 ] || { echo "FAIL: expected two curl commands"; cat "$tmp/out"; exit 1; }
sh -c "${commands[0]}" > "$tmp/first" 2>&1
sh -c "${commands[1]}" > "$tmp/second" 2>&1
grep -q '^HTTP/1.1 403' "$tmp/first" || { echo "FAIL: first command"; cat "$tmp/first"; exit 1; }
grep -q '"code":"SCOPE_MISSING"' "$tmp/first" || { echo "FAIL: no code"; cat "$tmp/first"; exit 1; }
grep -q 'model:write' "$tmp/first" || { echo "FAIL: missing scope not named"; cat "$tmp/first"; exit 1; }
grep -q '^HTTP/1.1 200' "$tmp/second" || { echo "FAIL: second command"; cat "$tmp/second"; exit 1; }

# The README prints the same commands (with the default port).
for c in "${commands[@]}"; do
  grep -qF -- "${c//:$port/:8181}" README.md || { echo "FAIL: README lacks: ${c//:$port/:8181}"; exit 1; }
done
echo "readme curl ok"
