import { describe, expect, it } from "vitest";
import { detectCheckPlan } from "./check-plan.js";

const files = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));
const pkg = (value: object): string => JSON.stringify(value);

describe("detectCheckPlan", () => {
  it("runs package.json scripts with the package manager the lockfile names", () => {
    const plan = detectCheckPlan(
      files({
        "package.json": pkg({
          scripts: { build: "tsc", typecheck: "tsc --noEmit", lint: "biome check", test: "vitest run" },
          devDependencies: { vitest: "4" },
        }),
        "pnpm-lock.yaml": "lockfileVersion: 9",
      }),
    );
    expect(plan).toEqual({
      install: { name: "install", command: "pnpm install --frozen-lockfile" },
      checks: [
        { name: "build", command: "pnpm run build" },
        { name: "typecheck", command: "pnpm run typecheck" },
        { name: "lint", command: "pnpm run lint" },
        { name: "test", command: "pnpm test" },
      ],
      manifests: ["pnpm-lock.yaml"],
    });
  });

  it("knows yarn, bun and npm, honours packageManager, and skips npm's placeholder test script", () => {
    const yarn = detectCheckPlan(
      files({ "package.json": pkg({ scripts: { build: "x" } }), "yarn.lock": "" }),
    );
    expect(yarn.install?.command).toBe("yarn install --frozen-lockfile");
    expect(yarn.checks).toEqual([{ name: "build", command: "yarn run build" }]);
    const bun = detectCheckPlan(files({ "package.json": pkg({ dependencies: { a: "1" } }), "bun.lock": "" }));
    expect(bun.install?.command).toBe("bun install --frozen-lockfile");
    const npm = detectCheckPlan(
      files({
        "package.json": pkg({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
        "package-lock.json": "{}",
      }),
    );
    expect(npm).toMatchObject({ install: { command: "npm ci" }, checks: [] });
    const declared = detectCheckPlan(
      files({
        "package.json": pkg({ packageManager: "pnpm@10.0.0", scripts: { test: "t" } }),
        "package-lock.json": "{}",
      }),
    );
    expect(declared.checks).toEqual([{ name: "test", command: "pnpm test" }]);
  });

  it("skips the install step for a package without dependencies or lockfile", () => {
    const plan = detectCheckPlan(
      files({ "package.json": pkg({ scripts: { build: "node check.js", test: "node --test" } }) }),
    );
    expect(plan.install).toBeNull();
    expect(plan.manifests).toEqual(["package.json"]);
    expect(plan.checks.map((check) => check.command)).toEqual(["npm run build", "npm test"]);
  });

  it("fills missing checks from Makefile targets, Cargo, Go and pytest", () => {
    expect(
      detectCheckPlan(
        files({ Makefile: "all: build\nbuild:\n\tcc x.c\nlint:\n\tcheck\ntest: build\n\t./t\nVAR := 1\n" }),
      ).checks,
    ).toEqual([
      { name: "build", command: "make build" },
      { name: "lint", command: "make lint" },
      { name: "test", command: "make test" },
    ]);
    expect(
      detectCheckPlan(files({ "Cargo.toml": "[package]" })).checks.map((check) => check.command),
    ).toEqual(["cargo build --all-targets", "cargo test"]);
    expect(detectCheckPlan(files({ "go.mod": "module x" })).checks.map((check) => check.name)).toEqual([
      "build",
      "lint",
      "test",
    ]);
    expect(detectCheckPlan(files({ "pyproject.toml": "[tool.pytest.ini_options]\n" })).checks).toEqual([
      { name: "test", command: "python -m pytest" },
    ]);
    expect(
      detectCheckPlan(
        files({
          "package.json": pkg({ scripts: { test: "jest" } }),
          Makefile: "test:\n\tmake-test\nbuild:\n\tb\n",
        }),
      ).checks,
    ).toEqual([
      { name: "build", command: "make build" },
      { name: "test", command: "npm test" },
    ]);
  });

  it("lets configured commands win over detection", () => {
    const plan = detectCheckPlan(files({ "package.json": pkg({ scripts: { test: "vitest" } }) }), {
      test: "npm test -- --reporter=dot",
      build: "make",
      install: "npm install --offline",
    });
    expect(plan.install?.command).toBe("npm install --offline");
    expect(plan.checks).toEqual([
      { name: "build", command: "make" },
      { name: "test", command: "npm test -- --reporter=dot" },
    ]);
  });
});
