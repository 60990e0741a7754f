#!/usr/bin/env bash
# CPU time and peak RSS of synthesizing the example platform (examples/platform,
# both stack layouts' default: per tenant), the working tree against <base-rev>:
# runs interleaved (base, work, base, work, ...) so a shared machine's load
# weighs on both alike; medians. CPU time covers construction and synth
# (imports not); peak RSS is the process's.
#
#   bench/tools/example.sh main [runs]     # from the repository root; runs: 5 by default
set -euo pipefail
BASE_REV=${1:?usage: bench/tools/example.sh <base-rev> [runs]}
RUNS=${2:-5}
source "$(dirname "$0")/base-tree.sh" "$BASE_REV"
MEASURE='
const { buildPlatform } = require("./examples/platform/main");
const start = process.cpuUsage();
buildPlatform(process.argv[1]).synth();
const cpu = process.cpuUsage(start);
console.log(((cpu.user + cpu.system) / 1e6).toFixed(2), Math.round(process.resourceUsage().maxRSS / 1024));'
for run in $(seq "$RUNS"); do
  for tree in base work; do
    src=$([[ $tree == base ]] && echo "$WORK/base" || echo "$ROOT")
    (cd "$src" && node -r ts-node/register/transpile-only -e "$MEASURE" "$WORK/out-$tree-$run") >>"$WORK/$tree.txt"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for tree in base work; do
  echo "$([[ $tree == base ]] && echo "before ($BASE_REV)" || echo after): CPU s $(cut -d' ' -f1 "$WORK/$tree.txt" | median), peak RSS MB $(cut -d' ' -f2 "$WORK/$tree.txt" | median) (runs: $(tr '\n' ';' <"$WORK/$tree.txt"))"
done
