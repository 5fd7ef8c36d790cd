#!/bin/sh
# Signed artifacts end to end: tests/cli/signing.sh WARDEN
#
# Two key pairs from `warden keygen`; the gateway policy compiled signed with
# the first (deterministically), unsigned, and signed with the second.
# `warden eval --verify-key` accepts only the first; `warden watch
# --verify-key` starts on it, then refuses the artifact signed with the
# other key and the unsigned one (the old policy keeps serving), and takes a
# newly signed version. Run from the repository root. Waits poll the output
# with a deadline instead of sleeping a fixed time.
set -eu
warden=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/warden-signing.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
. "$root/tests/cli/wait_for.sh"
cd "$dir"
: > out
: > err

# Keys: the secret key is readable by its owner only; keygen never overwrites.
"$warden" keygen alice > keygen.out || fail "keygen"
"$warden" keygen mallory > /dev/null || fail "keygen"
grep -Eq '^key [0-9a-f]{16}: signing key alice.key \(keep it secret\), verify key alice.pub$' keygen.out || fail "keygen output"
[ "$(stat -c %a alice.key)" = 600 ] || fail "alice.key is not private"
if "$warden" keygen alice 2> again.err; then fail "keygen overwrote a key"; fi
grep -q 'the file exists' again.err || fail "keygen refusal"
alice=$(sed -n 's/^key \([0-9a-f]*\):.*/\1/p' keygen.out)

# Signing is deterministic: same sources, same key, same bytes.
"$warden" compile --sign alice.key "$root/policies/gateway" -o signed.wdn > compile.out || fail "compile --sign"
grep -q "signed with key $alice" compile.out || fail "compile did not say which key"
"$warden" compile --sign alice.key "$root/policies/gateway" -o signed2.wdn > /dev/null
cmp -s signed.wdn signed2.wdn || fail "signing is not deterministic"
"$warden" compile "$root/policies/gateway" -o unsigned.wdn > /dev/null
"$warden" compile --sign mallory.key "$root/policies/gateway" -o other.wdn > /dev/null
"$warden" inspect signed.wdn | grep -Eq "^  signature +ed25519, key $alice$" || fail "inspect does not show the signature"
if "$warden" compile --sign alice.pub "$root/policies/gateway" -o x.wdn 2> sign.err; then fail "signed with a verify key"; fi
grep -q 'error\[E0512\]' sign.err || fail "a verify key given to --sign"

# eval: only artifacts signed by a trusted key.
req="--facts $root/fixtures/facts/gateway.jsonl --key k-write --method POST --path /api/2.0/mlflow/registered-models/create"
# shellcheck disable=SC2086
"$warden" eval --verify-key alice.pub signed.wdn $req > eval.out || fail "a signed artifact was refused"
for case in "unsigned.wdn E0509" "other.wdn E0510"; do
  set -- $case
  status=0
  # shellcheck disable=SC2086
  "$warden" eval --verify-key alice.pub "$1" $req > eval.out 2>&1 || status=$?
  [ "$status" -eq 1 ] || fail "$1: exit status $status"
  grep -q "error\[$2\]" eval.out || fail "$1: no $2"
done
# Rotation: several keys, any of them.
# shellcheck disable=SC2086
"$warden" eval --verify-key mallory.pub --verify-key alice.pub other.wdn $req > /dev/null || fail "a second trusted key"
if "$warden" eval --verify-key alice.pub "$root/policies/gateway" $req 2> src.err; then fail "sources with --verify-key"; fi
grep -q 'needs a signed artifact' src.err || fail "sources with --verify-key"

# watch: refuses what is not signed by a trusted key, keeps serving.
cp signed.wdn policy.wdn
printf '%s\n' '{"request_id":"r1","api_key":"k-write","method":"POST","path":"/api/2.0/mlflow/registered-models/create","headers":{"X-Tenant-ID":"acme"}}' > requests.jsonl
"$warden" watch --verify-key alice.pub policy.wdn --facts "$root/fixtures/facts/gateway.jsonl" --request requests.jsonl > out 2> err &
pid=$!
wait_for err 'policy loaded: fingerprint'
wait_for out 'request=r1 allow'
good=$(sed -n 's/^policy=\([0-9a-f]*\) .*/\1/p' out | head -n 1)
[ -n "$good" ] || fail "no fingerprint"

cp other.wdn policy.new && mv policy.new policy.wdn
wait_for err 'policy reload failed (policy.wdn changed): error\[E0510\]'
wait_for err "still serving policy $good"
cp unsigned.wdn policy.new && mv policy.new policy.wdn
wait_for err 'policy reload failed (policy.wdn changed): error\[E0509\]'
wait_for err "still serving policy $good" 2
wait_for out "^policy=$good .* request=r1 allow" 3

# A new version signed with the trusted key is taken.
cp -r "$root/policies/gateway" src
echo '# version 2' >> src/rules.warden
"$warden" compile --sign alice.key src -o policy.new > /dev/null && mv policy.new policy.wdn
wait_for err 'policy reloaded: fingerprint'
kill -TERM "$pid"
wait "$pid" || fail "watch exit status"
pid=""
grep -q '^watch: policy: 2 loaded, 2 failed' err || fail "policy counters"
echo "signing ok"
