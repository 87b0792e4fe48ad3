#!/usr/bin/env bash
# The whole test suite: system prerequisites, Node and pnpm, install, build, lint, typecheck, tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup-system.sh"
# shellcheck source=scripts/bootstrap.sh
source "$root/scripts/bootstrap.sh"
cd "$root"
# Docker tests must run, not skip, wherever an engine answers (and always in CI).
if docker info >/dev/null 2>&1 || [ "${CI:-}" = "true" ]; then export LONGSHOT_REQUIRE_DOCKER=1; fi
pnpm lint
pnpm turbo run typecheck --output-logs=errors-only
# The tests' output is kept, so the end of the run can say which package took how long and
# which tests failed, whatever scrolled by.
log="$(mktemp -t longshot-test-XXXXXX.log)"
status=0
pnpm turbo run test --concurrency=1 --continue 2>&1 | tee "$log" || status=$?
node "$root/scripts/test-summary.mjs" "$log" || true
rm -f "$log"
[ "$status" = 0 ] || exit "$status"
# The benchmarks at small sizes, so they cannot rot (the full suite is `pnpm bench`).
LONGSHOT_BENCH_QUICK=1 pnpm bench
