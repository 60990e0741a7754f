#!/usr/bin/env bash
# CI step "cdktf" (.ci/run cdktf): the unmodified cdktf CLI works on the
# bundled example, through examples/platform/cdktf.json ("app": "npx
# ts-node main.ts", cdktf's default output folder cdktf.out):
#
#   cdktf synth   writes cdktf.out/ (manifest.json, the stacks a plain run of the example writes),
#                 and paved writes k8s/ and report.md beside it;
#   cdktf list    lists the stacks;
#   cdktf synth   again keeps what Terraform and people put in the folder
#                 (.terraform/, .terraform.lock.hcl, state, hand-written YAML)
#                 and writes the same bytes.
#
# The CLI (cdktf-cli 0.21.0, ~420 MB) is installed from .ci/cdktf/package-lock.json
# into .ci/cdktf/node_modules, not into the project: `npm ci` stays small.
# `cdktf diff` and `cdktf deploy` need the AWS provider 6.x, which cannot be
# downloaded here; the "state" step runs terraform on paved's layout instead.
#
# Usage: test/ci/cdktf-example.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EXAMPLE="$ROOT/examples/platform"
CLI_DIR="$ROOT/.ci/cdktf"
CDKTF="$CLI_DIR/node_modules/.bin/cdktf"
LOGS="$ROOT/.ci/scratch/cdktf"
export CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=true CI=true
mkdir -p "$LOGS"

fail() {
  echo "cdktf-example: FAILED: $*" >&2
  exit 1
}

installed() {
  node -p "require('$CLI_DIR/node_modules/cdktf-cli/package.json').version" 2>/dev/null || true
}
wanted=$(node -p "require('$CLI_DIR/package.json').dependencies['cdktf-cli']")
if [[ "$(installed)" != "$wanted" ]]; then
  echo "== npm ci in .ci/cdktf (cdktf-cli $wanted)"
  (cd "$CLI_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
[[ "$(installed)" == "$wanted" && -x "$CDKTF" ]] || fail ".ci/cdktf does not install cdktf-cli $wanted"

cd "$EXAMPLE"
# What earlier runs left: paved's outputs and bookkeeping, and this script's stand-ins.
rm -rf cdktf.out k8s argocd catalog site report.md .paved terraform.*.tfstate*

# The stacks the example declares, from a plain run of it (as `npm run example` does) into a scratch folder.
REFERENCE="$LOGS/reference"
rm -rf "$REFERENCE"
(cd "$ROOT" && npx ts-node --transpile-only --project test/tsconfig.json examples/platform/main.ts "$REFERENCE" > "$LOGS/reference.log" 2>&1) \
  || { cat "$LOGS/reference.log"; fail "the example does not synthesize on its own"; }
EXPECTED=$(node -p "Object.keys(require('$REFERENCE/cdktf.out/manifest.json').stacks).sort().join(' ')")

echo "== cdktf synth"
"$CDKTF" synth > "$LOGS/synth.log" 2>&1 || { cat "$LOGS/synth.log"; fail "cdktf synth failed"; }
EXPECTED="$EXPECTED" node - <<'EOF' || fail "cdktf synth did not write paved's outputs"
const fs = require('fs');
const manifest = JSON.parse(fs.readFileSync('cdktf.out/manifest.json', 'utf8'));
const stacks = Object.keys(manifest.stacks).sort();
if (stacks.join(' ') !== process.env.EXPECTED) { throw new Error(`manifest.json lists ${stacks}, the example declares ${process.env.EXPECTED}`); }
for (const s of stacks) { JSON.parse(fs.readFileSync(`cdktf.out/${manifest.stacks[s].synthesizedStackPath}`, 'utf8')); }
for (const f of ['k8s/dev/shop/orders.k8s.yaml', 'k8s/prod/shop/orders.k8s.yaml', 'report.md', '.paved/owned.json']) {
  if (!fs.existsSync(f)) { throw new Error(`${f} is missing`); }
}
console.log(`cdktf synth: stacks ${stacks.join(', ')}; k8s/ and report.md beside cdktf.out/`);
EOF

echo "== cdktf list"
"$CDKTF" list > "$LOGS/list.log" 2>&1 || { cat "$LOGS/list.log"; fail "cdktf list failed"; }
for stack in $EXPECTED; do
  grep -Eq "^$stack +cdktf.out/stacks/$stack$" "$LOGS/list.log" \
    || { cat "$LOGS/list.log"; fail "cdktf list does not list $stack"; }
done
echo "cdktf list: $EXPECTED"

echo "== cdktf synth again, with files of Terraform and of people in the folder"
before=$(find cdktf.out k8s report.md .paved/owned.json -type f -print0 | sort -z | xargs -0 sha256sum)
mkdir -p cdktf.out/stacks/dev/.terraform/providers k8s/handwritten
echo '# providers' > cdktf.out/stacks/dev/.terraform.lock.hcl
echo 'marker' > cdktf.out/stacks/dev/.terraform/providers/marker
echo '{"version": 4}' > terraform.dev.tfstate
echo 'kind: ConfigMap' > k8s/handwritten/mine.yaml
"$CDKTF" synth > "$LOGS/synth.log" 2>&1 || { cat "$LOGS/synth.log"; fail "the second cdktf synth failed"; }
for f in cdktf.out/stacks/dev/.terraform.lock.hcl cdktf.out/stacks/dev/.terraform/providers/marker terraform.dev.tfstate k8s/handwritten/mine.yaml; do
  [[ -f "$f" ]] || fail "the second cdktf synth removed $f"
done
rm -rf cdktf.out/stacks/dev/.terraform cdktf.out/stacks/dev/.terraform.lock.hcl terraform.dev.tfstate k8s/handwritten
after=$(find cdktf.out k8s report.md .paved/owned.json -type f -print0 | sort -z | xargs -0 sha256sum)
[[ "$before" == "$after" ]] || { diff <(echo "$before") <(echo "$after") || true; fail "the second cdktf synth wrote other bytes"; }
rm -rf "$LOGS"
echo "cdktf-example: cdktf synth and cdktf list work on examples/platform; repeated synths keep foreign files and write the same bytes"
