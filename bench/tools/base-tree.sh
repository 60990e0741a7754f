# Sourced by the tools that compare the working tree with another revision:
# sets ROOT (this repository), WORK (a scratch folder, removed on exit) and
# WORK/base (lib/ and examples/ of revision $1, loading this tree's
# node_modules), and the environment ts-node needs to run either.
ROOT=$(git rev-parse --show-toplevel)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/paved-base-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/base"
git -C "$ROOT" archive "$1" lib examples | tar -x -C "$WORK/base"
ln -s "$ROOT/node_modules" "$WORK/base/node_modules"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 TS_NODE_PROJECT="$ROOT/test/tsconfig.json"
