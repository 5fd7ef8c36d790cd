#!/bin/sh
# The README's hot-reload demo, run and checked: tests/cli/watch_demo.sh WARDEN
#
# Starts `warden watch` on a copy of examples/hot-reload, then edits the
# policy (decisions change), breaks it (the error is reported, decisions keep
# the last good fingerprint), fixes it, changes the facts, and stops it with
# SIGTERM (exit 0, counters printed). Run from the repository root. Waits
# poll the output with a deadline instead of sleeping a fixed time.
set -eu
warden=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # absolute: the demo runs in a copy
dir=$(mktemp -d "${TMPDIR:-/tmp}/warden-watch-demo.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
cp -r examples/hot-reload/. "$dir/"
. "$PWD/tests/cli/wait_for.sh"
cd "$dir"

: > out
: > err  # exist before the background job's redirections do
"$warden" watch policy --facts facts.jsonl --request requests.jsonl > out 2> err &
pid=$!

# 1. The initial decisions: alice holds a read grant.
wait_for out 'request=alice-writes deny'
grep -q 'facts=1 request=alice-reads allow ALLOW rule=granted$' out || fail "alice could not read at first"
first=$(sed -n 's/^policy=\([0-9a-f]*\) .*/\1/p' out | head -n 1)

# 2. Edit the policy: reading now needs a write grant.
sed -i 's/allow granted: grant to read, write on doc;/allow granted: grant >= write to read, write on doc;/' policy/rules.warden
wait_for err 'policy reloaded: fingerprint'
wait_for out 'request=alice-reads deny'
second=$(tail -n 1 out | sed -n 's/^policy=\([0-9a-f]*\) .*/\1/p')
[ -n "$second" ] && [ "$second" != "$first" ] || fail "the fingerprint did not change ($first, $second)"

# 3. Break it: reported with the diagnostic; decisions keep the last good policy.
lines=$(wc -l < out)
echo 'allow typo: grant to raed on doc;' >> policy/rules.warden
wait_for err 'policy reload failed'
wait_for err 'error\[E0204\]: unknown action `raed`'
wait_for err "still serving policy $second"
wait_for out "^policy=$second facts=1 request=alice-writes deny" 2
[ "$(wc -l < out)" -gt "$lines" ] || fail "no decisions after the failed reload"
tail -n 2 out | grep -q "^policy=$second " || fail "decisions did not keep the last good policy"

# 4. Fix it (back to the edited version), then give alice a write grant.
sed -i '$d' policy/rules.warden
wait_for out "^policy=$second facts=1 request=alice-reads deny" 3
sed -i 's/"level":"read"/"level":"write"/' facts.jsonl
wait_for err 'facts reloaded: version 2'
wait_for out "^policy=$second facts=2 request=alice-reads allow ALLOW rule=granted$"

# 5. Stop: exit 0 and the counters.
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
[ "$status" -eq 0 ] || fail "exit status $status after SIGTERM"
grep -q '^watch: policy: 3 loaded, 1 failed (last: error\[E0204\]: 1 error in the policy)$' err || fail "policy counters"
grep -q '^watch: facts: 2 loaded, 0 failed$' err || fail "facts counters"
echo "watch demo ok"
