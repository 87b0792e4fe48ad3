import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cliAdapters, cliInstallCommand } from "../create-harness.js";

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), "utf8");

describe("the pinned CLI versions", () => {
  const tested = JSON.parse(read("../../package.json")) as { devDependencies: Record<string, string> };

  it("are the versions this package's tests run (its devDependencies)", () => {
    for (const adapter of Object.values(cliAdapters)) {
      expect(`${adapter.npmPackage}@${tested.devDependencies[adapter.npmPackage]}`).toBe(
        `${adapter.npmPackage}@${adapter.npmVersion}`,
      );
    }
  });

  it("are what the E2B CLI template and the Modal image layer install", () => {
    const dockerfile = read("../../../../docker/e2b-cli.Dockerfile");
    for (const [name, adapter] of Object.entries(cliAdapters)) {
      expect(dockerfile).toContain(` ${adapter.npmPackage}@${adapter.npmVersion}`);
      expect(cliInstallCommand(name as keyof typeof cliAdapters)).toMatch(
        new RegExp(
          ` ${adapter.npmPackage.replace(/[/.]/g, "\\$&")}@${adapter.npmVersion.replace(/\./g, "\\.")}$`,
        ),
      );
    }
  });
});
