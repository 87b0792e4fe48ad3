#!/usr/bin/env bash
# Installs longshot for the GitHub Action without building it from source and without touching
# the caller's environment: the package (LONGSHOT_PACKAGE, a tarball; else LONGSHOT_VERSION from
# the npm registry; else the version of this checkout's apps/cli/package.json) goes into
# LONGSHOT_TOOL_DIR, and so does Node 24 when the runner's Node is older than 22.13. Nothing is
# added to PATH or GITHUB_ENV; the step outputs `node`, `bin` and `scripts` name what to run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tool_dir="${LONGSHOT_TOOL_DIR:?LONGSHOT_TOOL_DIR is not set}"
mkdir -p "$tool_dir"
say() { printf 'longshot install: %s\n' "$*" >&2; }

node_ok() {
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 13) ? 0 : 1)' 2>/dev/null
}

if command -v node >/dev/null 2>&1 && node_ok "$(command -v node)"; then
  node_bin="$(command -v node)"
else
  say "the runner's Node ($(node --version 2>/dev/null || echo none)) is older than 22.13: installing Node 24 for longshot alone"
  npm install --prefix "$tool_dir/node" --no-audit --no-fund --loglevel=error node@24 >&2
  node_bin="$tool_dir/node/node_modules/.bin/node"
fi

if [ -n "${LONGSHOT_PACKAGE:-}" ]; then
  spec="$(cd "$(dirname "$LONGSHOT_PACKAGE")" && pwd)/$(basename "$LONGSHOT_PACKAGE")"
else
  version="${LONGSHOT_VERSION:-}"
  if [ -z "$version" ]; then
    version="$("$node_bin" -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).version' "$here/../../apps/cli/package.json")"
  fi
  spec="longshot@$version"
fi
say "installing $spec"
PATH="$(dirname "$node_bin"):$PATH" npm install --prefix "$tool_dir/cli" --no-audit --no-fund --loglevel=error "$spec" >&2
package_dir="$tool_dir/cli/node_modules/longshot"
"$node_bin" "$package_dir/dist/main.js" --version >&2

{
  echo "node=$node_bin"
  echo "bin=$package_dir/dist/main.js"
  echo "scripts=$package_dir/github"
} >> "${GITHUB_OUTPUT:-/dev/stdout}"
