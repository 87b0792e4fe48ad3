import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    globalSetup: ["src/__fixtures__/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
