#!/usr/bin/env bash
# The main job: install what is missing, build, and run Warden on the
# reference policies.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DCMAKE_BUILD_TYPE=Release
echo "== warden check policies/"
build/cli/warden check policies/ && echo "all reference policies check clean"
