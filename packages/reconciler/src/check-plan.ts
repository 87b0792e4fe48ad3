import type { CheckName } from "@longshot/core";
import { z } from "zod";

/** A command to run as one health check, in the checkout's root. */
export interface CheckCommand {
  readonly name: CheckName;
  readonly command: string;
}

/** What a sweep runs, in order: install (when dependencies changed), then the checks. */
export interface CheckPlan {
  readonly install: CheckCommand | null;
  /** build, typecheck, lint, test — whichever exist, in that order. */
  readonly checks: readonly CheckCommand[];
  /** Files whose change since the last install means the install step runs again. */
  readonly manifests: readonly string[];
}

/** Commands from configuration (INSTALL_COMMAND, BUILD_COMMAND, …); they win over detection. */
export interface CheckOverrides {
  readonly install?: string | undefined;
  readonly build?: string | undefined;
  readonly typecheck?: string | undefined;
  readonly lint?: string | undefined;
  readonly test?: string | undefined;
}

/** Files `detectCheckPlan` looks at; read them at the commit being checked. */
export const probedFiles = [
  "package.json",
  "pnpm-lock.yaml",
  "yarn.lock",
  "package-lock.json",
  "npm-shrinkwrap.json",
  "bun.lock",
  "bun.lockb",
  "Makefile",
  "makefile",
  "GNUmakefile",
  "Cargo.toml",
  "Cargo.lock",
  "go.mod",
  "go.sum",
  "pyproject.toml",
  "setup.cfg",
  "pytest.ini",
  "tox.ini",
  "requirements.txt",
  "requirements-dev.txt",
] as const;

const PackageJsonSchema = z.object({
  packageManager: z.string().optional(),
  scripts: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
});
type PackageJson = z.infer<typeof PackageJsonSchema>;

type Manager = "pnpm" | "yarn" | "npm" | "bun";
const order: readonly Exclude<CheckName, "install" | "acceptance">[] = ["build", "typecheck", "lint", "test"];
const lockfiles: Record<Manager, readonly string[]> = {
  pnpm: ["pnpm-lock.yaml"],
  yarn: ["yarn.lock"],
  bun: ["bun.lock", "bun.lockb"],
  npm: ["package-lock.json", "npm-shrinkwrap.json"],
};
const npmDefaultTest = /no test specified/;

/**
 * Decides the health checks of a repository from its files (path → content of those of
 * `probedFiles` that exist): package.json scripts run with the package manager its lockfile
 * names, then Makefile targets, Cargo, Go and pytest fill the checks still missing.
 * Configured commands replace detected ones.
 */
export function detectCheckPlan(
  files: ReadonlyMap<string, string>,
  overrides: CheckOverrides = {},
): CheckPlan {
  const detected: Partial<Record<CheckName, string>> = {};
  const add = (name: CheckName, command: string | undefined): void => {
    if (command !== undefined && detected[name] === undefined) detected[name] = command;
  };
  let install: string | undefined;
  let manifests: string[] = [];

  const pkg = readPackageJson(files.get("package.json"));
  if (pkg !== null) {
    const manager = packageManager(pkg, files);
    const scripts = pkg.scripts ?? {};
    const script = (...names: string[]): string | undefined => {
      const name = names.find((candidate) => scripts[candidate] !== undefined);
      return name === undefined ? undefined : `${manager} run ${name}`;
    };
    add("build", script("build"));
    add("typecheck", script("typecheck", "type-check", "check-types", "tsc"));
    add("lint", script("lint"));
    if (scripts.test !== undefined && !npmDefaultTest.test(scripts.test)) add("test", `${manager} test`);
    const locks = lockfiles[manager].filter((file) => files.has(file));
    const hasDependencies =
      Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0;
    if (locks.length > 0 || hasDependencies) install = installCommand(manager, locks.length > 0);
    manifests = locks.length > 0 ? locks : ["package.json"];
  }

  const makefile = files.get("Makefile") ?? files.get("makefile") ?? files.get("GNUmakefile");
  if (makefile !== undefined) {
    const targets = new Set([...makefile.matchAll(/^([A-Za-z][\w.-]*)\s*:(?!=)/gm)].map((match) => match[1]));
    for (const [name, candidates] of [
      ["build", ["build", "all"]],
      ["typecheck", ["typecheck", "check"]],
      ["lint", ["lint"]],
      ["test", ["test", "check"]],
    ] as const) {
      const target = candidates.find((candidate) => targets.has(candidate));
      if (target !== undefined) add(name, `make ${target}`);
    }
  }

  if (files.has("Cargo.toml")) {
    add("build", "cargo build --all-targets");
    add("test", "cargo test");
  }
  if (files.has("go.mod")) {
    add("build", "go build ./...");
    add("lint", "go vet ./...");
    add("test", "go test ./...");
  }
  if (usesPytest(files)) add("test", "python -m pytest");

  const checks = order.flatMap((name) => {
    const command = overrides[name] ?? detected[name];
    return command === undefined ? [] : [{ name, command }];
  });
  const installCommandText = overrides.install ?? install;
  return {
    install: installCommandText === undefined ? null : { name: "install", command: installCommandText },
    checks,
    manifests,
  };
}

function readPackageJson(text: string | undefined): PackageJson | null {
  if (text === undefined) return null;
  try {
    const parsed = PackageJsonSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function packageManager(pkg: PackageJson, files: ReadonlyMap<string, string>): Manager {
  const declared = /^(pnpm|yarn|npm|bun)@/.exec(pkg.packageManager ?? "")?.[1];
  if (declared !== undefined) return declared as Manager;
  const found = (["pnpm", "yarn", "bun", "npm"] as const).find((manager) =>
    lockfiles[manager].some((file) => files.has(file)),
  );
  return found ?? "npm";
}

function installCommand(manager: Manager, locked: boolean): string {
  switch (manager) {
    case "pnpm":
      return locked ? "pnpm install --frozen-lockfile" : "pnpm install";
    case "yarn":
      return locked ? "yarn install --frozen-lockfile" : "yarn install";
    case "bun":
      return locked ? "bun install --frozen-lockfile" : "bun install";
    case "npm":
      return locked ? "npm ci" : "npm install";
  }
}

function usesPytest(files: ReadonlyMap<string, string>): boolean {
  if (files.has("pytest.ini")) return true;
  if (/\[tool\.pytest/.test(files.get("pyproject.toml") ?? "")) return true;
  if (/\[tool:pytest\]/.test(files.get("setup.cfg") ?? "")) return true;
  if (/\[pytest\]/.test(files.get("tox.ini") ?? "")) return true;
  return /^pytest\b/m.test(
    `${files.get("requirements.txt") ?? ""}\n${files.get("requirements-dev.txt") ?? ""}`,
  );
}
