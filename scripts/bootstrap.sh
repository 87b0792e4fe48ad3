# shellcheck shell=bash
# Source this file: it makes Node >= 22 and pnpm available (installing Node 24 and pnpm
# from the npm registry into .tooling/ when the machine lacks them, never touching system
# files), then installs dependencies and builds when anything changed since the last run.
# Progress goes to stderr so stdout stays clean for the command that follows.

LONGSHOT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LONGSHOT_TOOLING="$LONGSHOT_ROOT/.tooling"
LONGSHOT_NODE_VERSION="${LONGSHOT_NODE_VERSION:-24}"
LONGSHOT_PNPM_VERSION="${LONGSHOT_PNPM_VERSION:-10.34.9}"

_ls_say() { printf 'bootstrap: %s\n' "$*" >&2; }

_ls_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$LONGSHOT_TOOLING/node/node_modules/.bin/node" ]; then
  export PATH="$LONGSHOT_TOOLING/node/node_modules/.bin:$PATH"
fi
if [ -x "$LONGSHOT_TOOLING/pnpm/bin/pnpm" ]; then
  export PATH="$LONGSHOT_TOOLING/pnpm/bin:$PATH"
fi

if [ "$(_ls_node_major)" -lt 22 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    _ls_say "Node $(node --version 2>/dev/null || echo none) is too old and npm is missing; install Node >= 22 and run again."
    return 2 2>/dev/null || exit 2
  fi
  _ls_say "Node $(node --version 2>/dev/null || echo none) is older than 22; installing Node $LONGSHOT_NODE_VERSION into .tooling/node"
  npm install --prefix "$LONGSHOT_TOOLING/node" --no-audit --no-fund --loglevel=error "node@$LONGSHOT_NODE_VERSION" >&2
  export PATH="$LONGSHOT_TOOLING/node/node_modules/.bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "10" ]; then
  _ls_say "installing pnpm $LONGSHOT_PNPM_VERSION into .tooling/pnpm"
  npm install --global --prefix "$LONGSHOT_TOOLING/pnpm" --no-audit --no-fund --loglevel=error "pnpm@$LONGSHOT_PNPM_VERSION" >&2
  export PATH="$LONGSHOT_TOOLING/pnpm/bin:$PATH"
fi

# Install only when the lockfile changed since the last install.
if ! cmp -s "$LONGSHOT_ROOT/pnpm-lock.yaml" "$LONGSHOT_ROOT/node_modules/.pnpm/lock.yaml" 2>/dev/null; then
  _ls_say "installing dependencies"
  (cd "$LONGSHOT_ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2)
fi

# Build only when a source file is newer than the last build.
_ls_stamp="$LONGSHOT_TOOLING/build.stamp"
if [ ! -f "$_ls_stamp" ] || [ -n "$(cd "$LONGSHOT_ROOT" && find packages apps bench \( -name node_modules -o -name dist \) -prune -o -type f -newer "$_ls_stamp" -print -quit 2>/dev/null)" ]; then
  _ls_say "building"
  mkdir -p "$LONGSHOT_TOOLING"
  _ls_started="$LONGSHOT_TOOLING/build.started"
  touch "$_ls_started"
  if (cd "$LONGSHOT_ROOT" && pnpm turbo run build --output-logs=errors-only >&2); then
    mv "$_ls_started" "$_ls_stamp"
  else
    _ls_say "build failed"
    return 1 2>/dev/null || exit 1
  fi
fi
