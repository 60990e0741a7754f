#!/usr/bin/env bash
# Byte-for-byte output check of a performance change: synthesizes, with the
# sources of <base-rev> and with the working tree, the example platform in
# both stack layouts (each revision's own examples/platform) and the bench
# scenarios `paved` and `full` (this tree's bench/scenario.ts, loading each
# revision's lib/), then diffs the two output trees.
#
#   bench/tools/golden.sh main [workloads]     # from the repository root; workloads: 12 by default
set -euo pipefail
BASE_REV=${1:?usage: bench/tools/golden.sh <base-rev> [workloads]}
COUNT=${2:-12}
source "$(dirname "$0")/base-tree.sh" "$BASE_REV"
for tree in base work; do
  src=$([[ $tree == base ]] && echo "$WORK/base" || echo "$ROOT")
  out="$WORK/out-$tree"
  (cd "$src" && node -r ts-node/register/transpile-only examples/platform/main.ts "$out/example" >/dev/null \
    && node -r ts-node/register/transpile-only -e \
      "require('./examples/platform/main').buildPlatform('$out/single', require('./lib').StackLayout.SINGLE_STACK).synth()")
  for scenario in paved full; do
    PAVED_LIB="$src/lib" BENCH_OUTDIR="$out/$scenario" node -r ts-node/register/transpile-only "$ROOT/bench/scenario.ts" "$scenario" "$COUNT" >/dev/null
  done
done
diff -r "$WORK/out-base" "$WORK/out-work"
echo "golden: identical to $BASE_REV ($(find "$WORK/out-work" -type f | wc -l) files)"
