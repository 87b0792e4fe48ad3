import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  harnessKinds,
  mergeStrategies,
  RoleSchema,
  sandboxKindNames,
  sandboxProviderNames,
  variableNames,
} from "@longshot/core";
import { describe, expect, it } from "vitest";
import { parseFlags } from "./flags.js";
import { mainHelp } from "./help.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), "utf8");

const lists = [
  { name: "sandbox kinds", values: sandboxKindNames },
  { name: "harness kinds", values: harnessKinds },
  { name: "merge strategies", values: mergeStrategies },
] as const;

/** Product source files of every package and app (tests and fixtures left out). */
function productSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name === "dist" || name === "__fixtures__") continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(path);
    }
  };
  for (const parent of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, parent))) walk(join(root, parent, name, "src"));
  }
  return files;
}

describe("the lists of kinds in core are the only copy", () => {
  it("no product file types two neighbours of a list out again (derive from @longshot/core instead)", () => {
    const own = join(root, "packages", "core", "src", "kinds.ts");
    const copies: string[] = [];
    for (const { name, values } of lists) {
      for (let index = 0; index + 1 < values.length; index++) {
        const pair = new RegExp(`["']${values[index]}["'],\\s*["']${values[index + 1]}["']`);
        for (const file of productSources()) {
          if (file !== own && pair.test(readFileSync(file, "utf8"))) copies.push(`${name} in ${file}`);
        }
      }
    }
    expect(copies).toEqual([]);
  });

  it("the help text offers every kind", () => {
    // The provider choices are the sandbox kinds and `none`, the explicit opt-out.
    expect(mainHelp).toContain(`--sandbox KIND       ${sandboxProviderNames.join(" | ")} (SANDBOX_PROVIDER;`);
    expect(mainHelp).toContain(`--harness NAME       ${harnessKinds.join(" | ")} (WORKER_HARNESS)`);
    expect(mainHelp).toContain(`--strategy NAME      ${mergeStrategies.join(" | ")} (MERGE_STRATEGY)`);
  });

  it("the README's command table offers every sandbox and harness kind", () => {
    const readme = read("README.md");
    expect(readme).toContain(`\`--sandbox ${sandboxProviderNames.join("\\|")}\``);
    expect(readme).toContain(`\`--harness ${harnessKinds.join("\\|")}\``);
    // The section on worker harnesses and the model gateway names them all too.
    expect(readme).toContain(`\`--harness ${harnessKinds.join("|")}\` (\`WORKER_HARNESS\`)`);
  });

  it("the GitHub Action's sandbox input and the agent's README name every kind", () => {
    const action = read("action.yml");
    const sandboxInput = /\n {2}sandbox:\n {4}description: "([^"]+)"/.exec(action)?.[1] ?? "";
    for (const kind of sandboxKindNames) expect(sandboxInput).toContain(kind);
    const harnessRow = read("packages/agent/README.md")
      .split("\n")
      .find((line) => line.includes("`WORKER_HARNESS`"));
    for (const kind of harnessKinds) expect(harnessRow).toContain(`\`${kind}\``);
  });
});

describe("every role's model is a setting and a flag", () => {
  /** Roles that use another role's model rather than a setting of their own. */
  const sharing: Readonly<Record<string, string>> = { subplanner: "planner", compactor: "worker" };
  const variableOf = (role: string): string => `LLM_${role.toUpperCase().replace(/-/g, "_")}_MODEL`;

  it("each role of RoleSchema has LLM_<ROLE>_MODEL, or shares the model of a role that has", () => {
    for (const role of RoleSchema.options) {
      expect(variableNames, `role ${role}`).toContain(variableOf(sharing[role] ?? role));
    }
  });

  it("each LLM_<ROLE>_MODEL has the flag --<role>-model, and the help names it", () => {
    const perRole = variableNames.filter((name) => /^LLM_.+_MODEL$/.test(name));
    expect(perRole.length).toBeGreaterThanOrEqual(4);
    for (const variable of perRole) {
      const flag = `${variable.slice(4, -6).toLowerCase().replace(/_/g, "-")}-model`;
      expect(parseFlags([`--${flag}`, "m"]).config[variable], flag).toBe("m");
      expect(mainHelp).toContain(`--${flag}`);
    }
  });
});
