import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig, parseDotenv } from "./config.js";
import { variableNames } from "./config-spec.js";
import { renderEnvExample } from "./env-example.js";
import { UserErrors } from "./errors.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ env });
  } catch (error) {
    expect(error).toBeInstanceOf(UserErrors);
    expect((error as UserErrors).exitCode).toBe(2);
    return [...(error as UserErrors).problems];
  }
  throw new Error("expected the config to be rejected");
}

describe("loadConfig", () => {
  it("applies the original longshot defaults", () => {
    const { config } = loadConfig({});
    expect(config.MAX_WORKERS).toBe(50);
    expect(config.WORKER_TIMEOUT).toBe(1800);
    expect(config.LLM_MAX_TOKENS).toBe(65536);
    expect(config.LLM_TEMPERATURE).toBe(0.7);
    expect(config.SANDBOX_CPU_CORES).toBe(4);
    expect(config.SANDBOX_MEMORY_MB).toBe(8192);
    expect(config.SANDBOX_IDLE_TIMEOUT).toBe(300);
    expect(config.GIT_MAIN_BRANCH).toBe("main");
    expect(config.HEALTH_CHECK_INTERVAL).toBe(10);
    expect(config.MERGE_STRATEGY).toBe("rebase");
    expect(config.FINALIZATION_ENABLED).toBe(true);
    expect(config.FINALIZATION_MAX_ATTEMPTS).toBe(3);
    expect(config.SANDBOX_PROVIDER).toBe("local");
    expect(config.LLM_BASE_URL).toBeUndefined();
  });

  it("takes flags over environment over .env over defaults", () => {
    const loaded = loadConfig({
      flags: { MAX_WORKERS: "4" },
      env: { MAX_WORKERS: "8", WORKER_TIMEOUT: "60" },
      dotenv: { MAX_WORKERS: "16", WORKER_TIMEOUT: "90", GIT_MAIN_BRANCH: "trunk" },
    });
    expect(loaded.config.MAX_WORKERS).toBe(4);
    expect(loaded.config.WORKER_TIMEOUT).toBe(60);
    expect(loaded.config.GIT_MAIN_BRANCH).toBe("trunk");
    expect(loaded.origins.MAX_WORKERS).toBe("flag");
    expect(loaded.origins.WORKER_TIMEOUT).toBe("env");
    expect(loaded.origins.GIT_MAIN_BRANCH).toBe("dotenv");
    expect(loaded.origins.LLM_MODEL).toBe("default");
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ env: { MAX_WORKERS: "" }, dotenv: { MAX_WORKERS: "7" } }).config.MAX_WORKERS).toBe(7);
  });

  it("names the variable, the value and what is expected for a bad whole number", () => {
    expect(problemsOf({ MAX_WORKERS: "lots" })).toEqual([
      'MAX_WORKERS is "lots" (from the environment) but must be a whole number from 1 to 10000.',
    ]);
    expect(problemsOf({ MAX_WORKERS: "0" })[0]).toContain("must be a whole number from 1 to 10000");
  });

  it("gives the bound a number is out of when the expected text has no range", () => {
    expect(problemsOf({ WORKER_TIMEOUT: "0" })).toEqual([
      'WORKER_TIMEOUT is "0" (from the environment) but must be a whole number of seconds (at least 1).',
    ]);
    expect(problemsOf({ WORKER_TIMEOUT: "abc" })).toEqual([
      'WORKER_TIMEOUT is "abc" (from the environment) but must be a whole number of seconds.',
    ]);
    expect(problemsOf({ MAX_COST_USD: "-1" })).toEqual([
      'MAX_COST_USD is "-1" (from the environment) but must be a number of US dollars from 0 to 1000000.',
    ]);
  });

  it("rejects a bad decimal, boolean, choice and URL", () => {
    expect(problemsOf({ LLM_TEMPERATURE: "3.5" })[0]).toMatch(
      /^LLM_TEMPERATURE is "3.5" .* a number from 0 to 2\.$/,
    );
    expect(problemsOf({ FINALIZATION_ENABLED: "maybe" })[0]).toContain("must be true or false");
    expect(problemsOf({ MERGE_STRATEGY: "squash" })[0]).toContain(
      "must be one of fast-forward, rebase, merge-commit",
    );
    expect(problemsOf({ LLM_BASE_URL: "localhost:8000" })[0]).toContain("must be an http(s) URL");
  });

  it("takes the gateway's public address only over https (or to a private host), and listens on host:port", () => {
    expect(problemsOf({ GATEWAY_PUBLIC_URL: "http://gw.example.com" })).toEqual([
      'GATEWAY_PUBLIC_URL is "http://gw.example.com" (from the environment) but must be an https:// URL (http:// only to a loopback or private address) (plain http would carry sandbox gateway tokens in the clear).',
    ]);
    expect(problemsOf({ GATEWAY_LISTEN: "8787" })[0]).toContain("must be host:port, such as 127.0.0.1:8787");
    expect(problemsOf({ GATEWAY_LISTEN: "0.0.0.0:70000" })[0]).toContain("the port must be from 1 to 65535");
    const config = loadConfig({
      env: { GATEWAY_PUBLIC_URL: "http://10.1.2.3:8787", GATEWAY_LISTEN: "[::]:9000" },
    }).config;
    expect([config.GATEWAY_PUBLIC_URL, config.GATEWAY_LISTEN]).toEqual(["http://10.1.2.3:8787", "[::]:9000"]);
    expect(
      loadConfig({ env: { GATEWAY_PUBLIC_URL: "https://gw.example.com/team" } }).config.GATEWAY_LISTEN,
    ).toBe("127.0.0.1:8787");
  });

  it("explains where a JSON variable is wrong and masks its secrets", () => {
    const [bad] = problemsOf({
      LLM_ENDPOINTS: '[{"name":"a","endpoint":"nope","apiKey":"sk-abcdefghijklmnop"}]',
    });
    expect(bad).toContain("LLM_ENDPOINTS is");
    expect(bad).toContain("at [0].endpoint");
    expect(bad).not.toContain("sk-abcdefghijklmnop");
    const [notJson] = problemsOf({ LLM_PRICES: "{oops" });
    expect(notJson).toContain("not valid JSON");
  });

  it("reports every invalid variable together", () => {
    const problems = problemsOf({ MAX_WORKERS: "-1", SANDBOX_PROVIDER: "vm", HEALTH_CHECK_INTERVAL: "soon" });
    expect(problems.map((problem) => problem.split(" ")[0])).toEqual([
      "MAX_WORKERS",
      "SANDBOX_PROVIDER",
      "HEALTH_CHECK_INTERVAL",
    ]);
  });

  it("parses LLM_ENDPOINTS and collects every key as a secret for redaction", () => {
    const loaded = loadConfig({
      env: {
        LLM_API_KEY: "sk-main-key-123",
        LLM_ENDPOINTS: JSON.stringify([
          { name: "a", endpoint: "http://127.0.0.1:1/v1", apiKey: "key-aaaaaaa", weight: 2 },
          { name: "b", endpoint: "http://127.0.0.1:2/v1" },
        ]),
      },
    });
    expect(loaded.config.LLM_ENDPOINTS?.map((endpoint) => [endpoint.name, endpoint.weight])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
    expect(loaded.secrets).toContain("sk-main-key-123");
    expect(loaded.secrets).toContain("key-aaaaaaa");
  });
});

describe("parseDotenv", () => {
  it("reads comments, export, quotes and inline comments", () => {
    expect(
      parseDotenv(
        [
          "# comment",
          "export MAX_WORKERS=8",
          'LLM_MODEL="gpt x"',
          "GIT_MAIN_BRANCH=trunk # the default",
          "BROKEN",
        ].join("\n"),
      ),
    ).toEqual({ MAX_WORKERS: "8", LLM_MODEL: "gpt x", GIT_MAIN_BRANCH: "trunk" });
  });
});

describe(".env.example", () => {
  const path = fileURLToPath(new URL("../../../.env.example", import.meta.url));
  const text = readFileSync(path, "utf8");

  it("is exactly what the schema generates (run `node scripts/gen-env-example.mjs` after changing it)", () => {
    expect(text).toBe(renderEnvExample());
  });

  it("documents every variable of the schema and nothing else", () => {
    const documented = [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...variableNames].sort());
  });
});
