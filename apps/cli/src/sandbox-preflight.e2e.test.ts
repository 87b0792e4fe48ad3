import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliSuite, runCli } from "./__fixtures__/cli-harness.js";

const suite = cliSuite(2);

/** A run that fails its preflight plans nothing and writes nothing: no refs, no state. */
async function refused(extra: Record<string, string>): Promise<string> {
  const repo = suite.fresh();
  const refs = repo.git("for-each-ref");
  const result = await runCli(["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"], suite.env(extra));
  expect(result.code, result.stderr).toBe(2);
  expect(repo.git("for-each-ref")).toBe(refs);
  expect(existsSync(join(repo.repo, ".git", "longshot"))).toBe(false);
  // The SDKs load as in an installed package: a refusal is the service's, not a missing module's.
  expect(result.stderr).not.toContain("Cannot find package");
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0] ?? "";
}

// A made-up key meets either a refusal (with network) or an unreachable service (without):
// both must stop the run before planning with one sentence.
describe("a cloud sandbox that cannot be used stops the run before planning", () => {
  it("Modal without a token", async () => {
    expect(await refused({ SANDBOX_PROVIDER: "modal" })).toBe(
      "error: SANDBOX_PROVIDER=modal needs MODAL_TOKEN_ID and MODAL_TOKEN_SECRET; set them or choose --sandbox local.",
    );
  });

  it("E2B without a key", async () => {
    expect(await refused({ SANDBOX_PROVIDER: "e2b" })).toBe(
      "error: SANDBOX_PROVIDER=e2b needs E2B_API_KEY; set it or choose --sandbox local.",
    );
  });

  it("Modal with a token the service refuses or cannot check", async () => {
    const line = await refused({
      SANDBOX_PROVIDER: "modal",
      MODAL_TOKEN_ID: "ak-longshot-test-not-a-token",
      MODAL_TOKEN_SECRET: "as-longshot-test-not-a-secret",
    });
    expect(line).toMatch(
      /^error: The Modal service (cannot be reached|refused MODAL_TOKEN_ID and MODAL_TOKEN_SECRET) \(.+\); /,
    );
    expect(line).not.toContain("as-longshot-test-not-a-secret");
  });

  it("E2B with a key the service refuses or cannot check", async () => {
    const line = await refused({ SANDBOX_PROVIDER: "e2b", E2B_API_KEY: "e2b_longshot_test_not_a_key" });
    expect(line).toMatch(/^error: The E2B service (cannot be reached|refused E2B_API_KEY) \(.+\); /);
    expect(line).not.toContain("e2b_longshot_test_not_a_key");
  });
});
