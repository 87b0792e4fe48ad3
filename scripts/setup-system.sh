#!/usr/bin/env bash
# Installs and starts what the full test suite needs from the system (Docker engine,
# bubblewrap, tmux, debootstrap, ripgrep) when running as root on a Debian-like machine.
# Elsewhere it only reports what is missing; the suite then runs without those parts.
set -uo pipefail
say() { printf 'setup-system: %s\n' "$*" >&2; }
sudo=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
can_admin() { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
if [ "${#need[@]}" -gt 0 ]; then
  if can_admin && command -v apt-get >/dev/null 2>&1; then
    say "installing ${need[*]}"
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || say "apt-get install failed"
  else
    say "missing ${need[*]} (not root or no apt-get): those tests will report themselves unavailable"
  fi
fi
if command -v dockerd >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
  if can_admin; then
    say "starting dockerd"
    ($sudo nohup dockerd >/tmp/longshot-dockerd.log 2>&1 &)
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || say "dockerd did not start; see /tmp/longshot-dockerd.log"
  fi
fi
exit 0
