#!/usr/bin/env bash
# The `paved` command works from an installed package: packs the compiled
# package (npm pack), installs the tarball into a scratch project and runs
# `npx paved` there: --version, sizes, synth of a Score file, check of a bad
# one (exit 1), a usage error (exit 2) and unusable output folders (exit 3, 5).
#
# Needs the jsii build (build/, from `npx projen compile`), so it runs after
# the build step, not in jest. Offline: the peer dependencies (cdktf,
# cdk8s, cdk8s-plus-28, constructs) are linked from this repository's
# node_modules instead of downloaded; yaml, the PromQL parser and the
# Terraform providers are bundled in the tarball.
#
# Usage: test/cli/pack.sh [package dir]   (default: dist/.stage, laid out by
# projenrc/stage-package.sh: never the repository root, where the bundled
# providers would put ~540 MB into the tarball)
set -euo pipefail

PACKAGE_DIR=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../../dist/.stage}" && pwd)
NODE_MODULES=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/node_modules
PEERS=(cdktf constructs cdk8s cdk8s-plus-28)
IMAGE=registry.acme.io/shop/orders:1.4.2

fail() {
  echo "pack.sh: FAILED: $*" >&2
  exit 1
}

[[ -f "$PACKAGE_DIR/build/cli/main.js" ]] \
  || fail "$PACKAGE_DIR/build/cli/main.js is missing: compile and stage first (npx projen compile && npx projen package:stage)"
node -e 'const p = require(process.argv[1]); if (!p.bin || p.bin.paved !== "build/cli/main.js") process.exit(1)' "$PACKAGE_DIR/package.json" \
  || fail "package.json has no \"bin\": { \"paved\": \"build/cli/main.js\" } (set bin in .projenrc.ts and run npx projen)"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/paved-pack-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

echo "== npm pack"
TARBALL=$(cd "$PACKAGE_DIR" && npm pack --silent --pack-destination "$SCRATCH" | tail -n 1)
echo "$TARBALL"

echo "== install into a scratch project"
mkdir -p "$SCRATCH/project"
cd "$SCRATCH/project"
echo '{ "name": "paved-pack-check", "version": "1.0.0", "private": true }' > package.json
npm install --offline --no-audit --no-fund --legacy-peer-deps --no-save "$SCRATCH/$TARBALL" >/dev/null
[[ -x node_modules/.bin/paved ]] || fail "the package installed no paved command (node_modules/.bin/paved)"
# The providers come inside the package, cut to the modules paved uses (a few MB, not hundreds).
for provider in @cdktf/provider-aws @cdktf/provider-kubernetes @cdktf/provider-helm; do
  [[ -f "node_modules/paved/node_modules/$provider/package.json" ]] || fail "the package does not bundle $provider"
done
size_mb=$(du -sm node_modules/paved/node_modules/@cdktf | cut -f1)
[[ "$size_mb" -lt 50 ]] || fail "the bundled providers take ${size_mb} MB: stage-package.sh did not cut them"
# After the install, which would prune links it did not make.
for peer in "${PEERS[@]}"; do
  [[ -d "$NODE_MODULES/$peer" ]] || fail "peer dependency $peer is not installed in $NODE_MODULES (npm ci first)"
  ln -s "$NODE_MODULES/$peer" "node_modules/$peer"
done

cat > platform.json <<'EOF'
{
  "environments": [{
    "name": "dev", "account": "123456789012", "region": "eu-central-1", "profile": "dev",
    "cidr": "10.10.0.0/16", "state": "local",
    "cluster": { "clusterName": "dev-main", "nodeSecurityGroupId": "sg-0123456789abcdef0", "networkPolicyEnforcement": "vpc-cni" }
  }]
}
EOF
cat > orders.yaml <<'EOF'
apiVersion: score.dev/v1b1
metadata:
  name: orders
service:
  ports:
    web:
      port: 8080
containers:
  api:
    image: .
    variables:
      DB_PASSWORD: ${resources.db.password}
resources:
  db:
    type: postgres
EOF
sed 's/type: postgres/type: oracle/' orders.yaml > bad.yaml

# Runs `npx paved ...` and checks its exit code.
expect_exit() {
  local expected=$1
  shift
  local code=0
  npx --no -- paved "$@" > "$SCRATCH/stdout" 2> "$SCRATCH/stderr" || code=$?
  if [[ "$code" != "$expected" ]]; then
    cat "$SCRATCH/stdout" "$SCRATCH/stderr" >&2
    fail "npx paved $* exited with $code, expected $expected"
  fi
}

echo "== npx paved --version"
expect_exit 0 --version
grep -q '^paved ' "$SCRATCH/stdout" || fail "--version printed: $(cat "$SCRATCH/stdout")"

echo "== npx paved sizes"
expect_exit 0 sizes
grep -q '^XL ' "$SCRATCH/stdout" || fail "sizes printed no XL row"

echo "== npx paved synth"
expect_exit 0 synth -f orders.yaml --tenant shop --config platform.json --out out --image "api=$IMAGE"
cat "$SCRATCH/stdout"
[[ -f out/cdktf.out/stacks/dev/cdk.tf.json && -f out/k8s/dev/shop/orders.k8s.yaml && -f out/report.md ]] \
  || fail "synth did not write cdktf.out/, k8s/ and report.md"
grep -q "image: $IMAGE" out/k8s/dev/shop/orders.k8s.yaml || fail "the manifest does not run $IMAGE"

echo "== npx paved check (invalid input: exit 1)"
expect_exit 1 check -f bad.yaml --tenant shop --config platform.json --image "api=$IMAGE"
grep -q 'type "oracle" is not supported' "$SCRATCH/stderr" || fail "check did not name the unsupported type: $(cat "$SCRATCH/stderr")"

echo "== npx paved synth without -f (usage: exit 2)"
expect_exit 2 synth --tenant shop

echo "== npx paved synth into a file (exit 3) and into a stack folder (exit 5), one line each"
expect_exit 3 synth -f orders.yaml --tenant shop --config platform.json --out orders.yaml --image "api=$IMAGE"
expect_exit 5 synth -f orders.yaml --tenant shop --config platform.json --out out/cdktf.out/stacks/dev/nested --image "api=$IMAGE"
[[ $(wc -l < "$SCRATCH/stderr") -eq 1 ]] || fail "the error is not one line: $(cat "$SCRATCH/stderr")"

echo "pack.sh: the installed package's paved command works"
