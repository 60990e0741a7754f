#!/usr/bin/env bash
# Lays out dist/.stage: the package as npm publishes it (package.json, .jsii,
# build/, README, LICENSE, API.md) with its bundled dependencies, from which
# jsii-pacmak packs the npm tarball and the Python wheel (the package:js and
# package:python tasks in .projenrc.ts). Never pack at the repository root:
# the Terraform providers are bundled, and whole they weigh ~540 MB.
#
# Each bundled provider (@cdktf/provider-aws, -kubernetes, -helm) holds only
# the modules build/ names, directly or through lazyModule('...')
# (lib/<module>/index.js and index.d.ts, each of which requires only cdktf):
# a few MB instead of hundreds. A module that requires anything else fails
# the staging, as does a module build/ names that the provider lacks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STAGE=dist/.stage
PROVIDERS=(@cdktf/provider-aws @cdktf/provider-kubernetes @cdktf/provider-helm)
fail() { echo "stage-package.sh: $*" >&2; exit 1; }

[[ -f .jsii && -f build/index.js ]] || fail "compile first (npx projen compile)"
rm -rf "$STAGE"
mkdir -p "$STAGE/node_modules"
cp package.json .jsii README.md LICENSE "$STAGE/"
[[ -f API.md ]] && cp API.md "$STAGE/"
rsync -a --include='*/' --include='*.js' --include='*.d.ts' --exclude='*' build/ "$STAGE/build/"

# Every bundled dependency that is not a provider, whole.
for dep in $(node -p 'require("./package.json").bundledDependencies.join(" ")'); do
  [[ " ${PROVIDERS[*]} " == *" $dep "* ]] && continue
  [[ -d "node_modules/$dep" ]] || fail "bundled dependency $dep is not installed (npm ci first)"
  mkdir -p "$STAGE/node_modules/$(dirname "$dep")"
  cp -r "node_modules/$dep" "$STAGE/node_modules/$dep"
done

for provider in "${PROVIDERS[@]}"; do
  node -e 'process.exit(require("./package.json").bundledDependencies.includes(process.argv[1]) ? 0 : 1)' "$provider" \
    || fail "$provider is not a bundled dependency in package.json (.projenrc.ts bundledDeps)"
  source_dir="node_modules/$provider"
  target_dir="$STAGE/node_modules/$provider"
  mkdir -p "$target_dir/lib"
  cp "$source_dir/package.json" "$source_dir/LICENSE" "$target_dir/"
  modules=$(grep -rhoE "[\"']$provider/lib/[a-z0-9-]+[\"']" build --include='*.js' \
    | sed -E "s|.*/lib/([a-z0-9-]+).*|\1|" | sort -u)
  for module in $modules; do
    [[ -f "$source_dir/lib/$module/index.js" ]] || fail "build/ names $provider/lib/$module, which $source_dir does not have"
    others=$(grep -oE 'require\("[^"]+"\)' "$source_dir/lib/$module/index.js" | grep -vE 'require\("(cdktf|constructs)"\)' || true)
    [[ -z "$others" ]] || fail "$provider/lib/$module requires more than cdktf: $others (copy those too)"
    mkdir -p "$target_dir/lib/$module"
    cp "$source_dir/lib/$module/index.js" "$source_dir/lib/$module/index.d.ts" "$target_dir/lib/$module/"
  done
  echo "dist/.stage: $provider with $(echo "$modules" | wc -w) of its modules ($(du -sh "$target_dir" | cut -f1))"
done
