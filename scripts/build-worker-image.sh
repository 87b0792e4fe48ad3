#!/usr/bin/env bash
# Builds the Longshot worker image (default longshot-worker:latest) without pulling anything:
# a Debian bookworm minbase root file system from the apt mirror (debootstrap) plus git,
# ca-certificates, ripgrep and procps, a non-root user `longshot` (uid 1000), and this
# machine's Node 24 binary, then `docker import`.
#
#   bash scripts/build-worker-image.sh [--force] [--image NAME:TAG]
#
# Idempotent: exits at once when the image exists (unless --force). The root file system is
# cached as .tooling/worker-rootfs.tar (git-ignored), keyed by the package list and the Node
# version, so a rebuild after `docker rmi` only re-imports. Needs root for debootstrap (not
# for a cached import) and a running Docker engine (honours DOCKER_HOST).
#
# The image's default user is `longshot`; the Docker provider chooses the user per container
# (the owner of a bind-mounted worktree, so files stay writable on both sides).
#
#   bash scripts/build-worker-image.sh --cli [--force] [--image NAME:TAG]
#
# builds the variant for external CLI harnesses (default longshot-worker-cli:latest): the same
# root file system plus Codex, Pi, OpenCode and Claude Code installed from the npm registry into
# /usr/local at the versions pinned in packages/agent/package.json (one source of truth with the
# tests), cached as .tooling/worker-cli-rootfs.tar. Run with DOCKER_IMAGE=longshot-worker-cli:latest.
#
# Environment: LONGSHOT_WORKER_IMAGE (image name), LONGSHOT_DEBIAN_MIRROR (apt mirror URL,
# default: the first Debian URI in /etc/apt/sources.list*, else http://deb.debian.org/debian),
# LONGSHOT_WORKER_NODE (path of the Node 24 binary to copy in; default .tooling's, else PATH's).
set -euo pipefail

say() { printf 'build-worker-image: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tooling="$root/.tooling"
image=""
force=0
cli=0
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --cli) cli=1 ;;
    --image) shift; image="${1:?--image needs a value}" ;;
    -h | --help) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
if [ -z "$image" ]; then
  if [ "$cli" = 1 ]; then image="longshot-worker-cli:latest"; else image="${LONGSHOT_WORKER_IMAGE:-longshot-worker:latest}"; fi
fi

packages="git,ca-certificates,ripgrep,procps,libstdc++6"
suite="bookworm"

command -v docker >/dev/null 2>&1 || die "the docker CLI is missing; install docker.io (apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable${DOCKER_HOST:+ at $DOCKER_HOST}; start it (dockerd) and run again"

mkdir -p "$tooling"
# One build at a time: tests, benchmarks and CI may call this script concurrently.
exec 9>"$tooling/worker-image.lock"
flock 9

if [ "$force" = 0 ] && docker image inspect "$image" >/dev/null 2>&1; then
  say "$image already exists"
  exit 0
fi

find_node() {
  local candidate="${LONGSHOT_WORKER_NODE:-}"
  if [ -z "$candidate" ] && [ -x "$tooling/node/node_modules/node/bin/node" ]; then
    candidate="$tooling/node/node_modules/node/bin/node"
  fi
  if [ -z "$candidate" ]; then candidate="$(command -v node || true)"; fi
  [ -n "$candidate" ] || die "no Node binary found; run scripts/bootstrap.sh or set LONGSHOT_WORKER_NODE"
  readlink -f "$candidate"
}

find_mirror() {
  if [ -n "${LONGSHOT_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$LONGSHOT_DEBIAN_MIRROR"
    return
  fi
  local found
  found="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    grep -Eo 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n 1 | tr -d ' ' || true)"
  printf '%s\n' "${found:-http://deb.debian.org/debian}"
}

node_bin="$(find_node)"
node_version="$("$node_bin" --version)"
case "$node_version" in
  v24.*) ;;
  *) say "warning: $node_bin is Node $node_version, not Node 24; the image will carry it anyway" ;;
esac

tarball="$tooling/worker-rootfs.tar"
stamp="$tooling/worker-rootfs.stamp"
key="suite=$suite packages=$packages node=$node_version arch=$(uname -m) layout=1"

if [ "$force" = 1 ] || [ ! -f "$tarball" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$key" ]; then
  [ "$(id -u)" = 0 ] || die "building the root file system needs root (debootstrap); run as root once, later imports reuse $tarball"
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing; apt-get install debootstrap"
  mirror="$(find_mirror)"
  rootfs="$(mktemp -d "$tooling/worker-rootfs.XXXXXX")"
  trap 'rm -rf "$rootfs" "$tarball.partial"' EXIT
  say "debootstrap $suite from $mirror (about a minute)"
  debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$tooling/worker-debootstrap.log" 2>&1 ||
    die "debootstrap failed; see $tooling/worker-debootstrap.log"

  # The user is written directly rather than through chroot+useradd so that the build needs
  # no mounts inside the root file system.
  grep -q '^longshot:' "$rootfs/etc/passwd" || {
    echo 'longshot:x:1000:1000:Longshot worker:/home/longshot:/bin/bash' >>"$rootfs/etc/passwd"
    echo 'longshot:x:1000:' >>"$rootfs/etc/group"
    echo 'longshot:*:19000:0:99999:7:::' >>"$rootfs/etc/shadow"
  }
  install -d -m 0755 -o 1000 -g 1000 "$rootfs/home/longshot"
  # Repositories arrive bind-mounted from the host (other owners) or as bundles; either way
  # git inside the sandbox must not refuse them as "dubious ownership".
  printf '[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n' >"$rootfs/etc/gitconfig"

  install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  if command -v strip >/dev/null 2>&1; then strip --strip-debug "$rootfs/usr/local/bin/node" 2>/dev/null || true; fi

  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log "$rootfs"/dev/* 2>/dev/null || true

  say "packing the root file system into $tarball"
  tar -C "$rootfs" --numeric-owner -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  printf '%s\n' "$key" >"$stamp"
  rm -rf "$rootfs"
  trap - EXIT
else
  say "reusing cached root file system $tarball"
fi

# The CLI variant: the base root file system plus the pinned CLIs under /usr/local.
if [ "$cli" = 1 ]; then
  command -v npm >/dev/null 2>&1 || die "npm is missing; run scripts/bootstrap.sh (it installs Node and npm into .tooling)"
  clis="$("$node_bin" -e '
    const deps = require(process.argv[1]).devDependencies;
    const names = ["@openai/codex", "@earendil-works/pi-coding-agent", "opencode-ai", "@anthropic-ai/claude-code"];
    const missing = names.filter((name) => !deps[name]);
    if (missing.length > 0) { console.error("no pinned version of " + missing.join(", ")); process.exit(1); }
    console.log(names.map((name) => name + "@" + deps[name]).join(" "));
  ' "$root/packages/agent/package.json")" || die "could not read the pinned CLI versions from packages/agent/package.json"
  cli_tarball="$tooling/worker-cli-rootfs.tar"
  cli_stamp="$tooling/worker-cli-rootfs.stamp"
  cli_key="$key clis=$clis"
  if [ "$force" = 1 ] || [ ! -f "$cli_tarball" ] || [ "$(cat "$cli_stamp" 2>/dev/null)" != "$cli_key" ]; then
    staging="$(mktemp -d "$tooling/worker-cli.XXXXXX")"
    trap 'rm -rf "$staging" "$staging.bins" "$cli_tarball.partial"' EXIT
    say "installing $clis from the npm registry (a few minutes)"
    # shellcheck disable=SC2086 # one argument per package
    npm install --global --prefix "$staging/usr/local" --no-audit --no-fund --no-update-notifier \
      --loglevel=error $clis >"$tooling/worker-cli-npm.log" 2>&1 ||
      die "npm install of the CLIs failed; see $tooling/worker-cli-npm.log"
    cp "$tarball" "$cli_tarball.partial"
    # Only new paths, spelled as the base archive spells them: docker import refuses duplicates.
    (cd "$staging" && find ./usr/local/bin -mindepth 1 -maxdepth 1) >"$staging.bins"
    tar -C "$staging" --numeric-owner --owner=0 --group=0 -rf "$cli_tarball.partial" \
      ./usr/local/lib/node_modules
    tar -C "$staging" --numeric-owner --owner=0 --group=0 --no-recursion -rf "$cli_tarball.partial" \
      --files-from="$staging.bins"
    rm -f "$staging.bins"
    mv "$cli_tarball.partial" "$cli_tarball"
    printf '%s\n' "$cli_key" >"$cli_stamp"
    rm -rf "$staging"
    trap - EXIT
  else
    say "reusing cached root file system $cli_tarball"
  fi
  tarball="$cli_tarball"
fi

say "importing $image"
docker import \
  --change 'USER longshot' \
  --change 'WORKDIR /home/longshot' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  --change "LABEL org.opencontainers.image.title=longshot-worker longshot.node=$node_version" \
  "$tarball" "$image" >/dev/null
if [ "$cli" = 1 ]; then say "built $image (Node $node_version; $clis)"; else say "built $image (Node $node_version)"; fi
