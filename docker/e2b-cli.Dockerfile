# E2B sandbox template for Longshot workers with the external CLI harnesses (Codex, Pi,
# OpenCode, Claude Code) at the versions longshot is tested with:
#   e2b template create longshot-worker-cli -p docker -d e2b-cli.Dockerfile --cpu-count 2 --memory-mb 2048
# then run with E2B_TEMPLATE=longshot-worker-cli, WORKER_HARNESS=<cli> and GATEWAY_PUBLIC_URL
# (README, "Harnesses and sandboxes"). The CLIs get no key: they call models only through
# longshot's model gateway, the one host the sandbox's egress allows. The versions are
# checked against packages/agent/package.json by packages/agent/src/cli/cli-versions.test.ts.
FROM node:24-bookworm-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential ca-certificates git procps ripgrep python3 \
 && rm -rf /var/lib/apt/lists/* \
 && printf '[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n' >/etc/gitconfig

RUN npm install --global --no-fund --no-audit --loglevel=error \
      @openai/codex@0.169.0 \
      @earendil-works/pi-coding-agent@0.87.1 \
      opencode-ai@1.18.33 \
      @anthropic-ai/claude-code@2.1.332

ENV LANG=C.UTF-8
