#!/bin/sh
# Stop every test cluster left below $1 (a test that crashed cannot stop its
# own) and remove their directories. Clusters that stopped cleanly are gone
# already; this finds none.
root="$1"
[ -d "$root" ] || exit 0
for data in "$root"/cluster-*/data; do
  [ -f "$data/postmaster.pid" ] || continue
  pid=$(head -n 1 "$data/postmaster.pid")
  kill -QUIT "$pid" 2>/dev/null || true
done
rm -rf "$root"/cluster-*
rmdir "$root" 2>/dev/null
exit 0
