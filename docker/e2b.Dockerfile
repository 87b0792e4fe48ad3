# E2B sandbox template for Longshot workers (see docker/e2b.toml):
#   e2b template create longshot-worker -p docker -d e2b.Dockerfile --cpu-count 2 --memory-mb 2048
# Choose --memory-mb to match SANDBOX_MEMORY_MB (E2B sizes VMs per template; longshot pins
# commands to SANDBOX_CPU_CORES cores with taskset from util-linux, part of this base image).
# E2B templates must be Debian based. Commands run as E2B's default `user`; the repository
# arrives as a git bundle uploaded by the orchestrator, so no git credentials live here.
FROM node:24-bookworm-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential ca-certificates git procps ripgrep python3 \
 && rm -rf /var/lib/apt/lists/* \
 && printf '[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n' >/etc/gitconfig

ENV LANG=C.UTF-8
