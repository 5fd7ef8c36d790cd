# Shell helpers for the CLI tests that run a long-lived `warden` in the
# background with its output in the files `out` and `err` of the current
# directory. Sourced, not run.

# fail MESSAGE: report, show the output, stop the test.
fail() {
  echo "FAILED: $1"
  echo "--- stdout"; cat out
  echo "--- stderr"; cat err
  exit 1
}

# wait_for FILE PATTERN [COUNT]: until COUNT (default 1) lines match. Polls
# with a deadline (20 s) instead of sleeping a fixed time.
wait_for() {
  tries=0
  while [ "$(grep -c -- "$2" "$1" 2>/dev/null || true)" -lt "${3:-1}" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 400 ] || fail "no ${3:-1} line(s) matching '$2' in $1"
    sleep 0.05
  done
}
