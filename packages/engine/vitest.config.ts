import { defineConfig } from "vitest/config";

/**
 * Tests on real git repositories, sandboxes or whole runs (the `slow` project). Every other test
 * runs on the fakes of the engine's ports (`src/__fixtures__/`) or on plain values, with no
 * process, repository or sandbox: the `fast` project, `pnpm test:fast`, a few seconds in all.
 */
const slow = [
  "src/**/*.e2e.test.ts",
  "src/adapters/queue-lander.test.ts",
  "src/adapters/sandbox-lockfile-regenerator.test.ts",
  "src/critics/git-critic-evidence.test.ts",
  "src/handoff-guard.test.ts",
  "src/task-branches.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["src/**/*.test.ts"],
          exclude: slow,
          // A fast test that hangs fails in seconds, not after the whole runs' minute.
          testTimeout: 10_000,
          // The files share one module graph per worker: importing it was most of their time.
          isolate: false,
          // The workspace packages' builds load as they are instead of through the transform.
          server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
        },
      },
      { extends: true, test: { name: "slow", include: slow } },
    ],
  },
});
