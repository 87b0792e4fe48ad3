import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    // The end-to-end tests start whole runs (real git, sandboxes, builds) and assert outcomes;
    // these limits only stop a hung test, generous enough for a loaded 2-core machine. Tests
    // with more work (the demo, the published package) set larger limits of their own.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
