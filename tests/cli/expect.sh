#!/bin/sh
# Runs a command and checks its exit status and output, for CLI tests in CTest
# (CTest's PASS_REGULAR_EXPRESSION alone ignores the exit status).
#
#   expect.sh STATUS [PATTERN...] -- COMMAND [ARGS...]
#
# Passes when COMMAND exits with STATUS and every PATTERN (an extended
# regular expression) matches some line of its combined stdout and stderr.
# Standard input is passed through to COMMAND.
expected="$1"
shift
patterns=""
count=0
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  count=$((count + 1))
  eval "pattern_$count=\$1"
  shift
done
if [ "$#" -eq 0 ]; then
  echo "expect.sh: missing -- COMMAND" >&2
  exit 2
fi
shift
output=$("$@" 2>&1)
status=$?
printf '%s\n' "$output"
if [ "$status" -ne "$expected" ]; then
  echo "expect.sh: exit status $status, expected $expected" >&2
  exit 1
fi
i=1
while [ "$i" -le "$count" ]; do
  eval "pattern=\$pattern_$i"
  if ! printf '%s\n' "$output" | grep -Eq -- "$pattern"; then
    echo "expect.sh: no line matches /$pattern/" >&2
    exit 1
  fi
  i=$((i + 1))
done
exit 0
