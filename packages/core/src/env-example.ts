import { type VariableSpec, variableSpecs } from "./config-spec.js";

const groupTitles: Readonly<Record<string, string>> = {
  git: "Target repository and git",
  models: "Models (any OpenAI-compatible endpoint)",
  workers: "Workers",
  sandbox: "Sandboxes",
  health: "Build health and finalization",
  critics: "Critics (read-only reviews during long runs)",
  budget: "Budgets (unset means no cap)",
  output: "Output",
  github: "GitHub",
};

/** The text of `.env.example`, generated from the config schema so the two cannot drift. */
export function renderEnvExample(): string {
  const lines = [
    "# Longshot configuration. Copy to .env (or run `longshot init`) and fill in what you need.",
    "# Precedence: command-line flags > environment > .env of the repository (--repo) > .env in the working directory > defaults.",
    "# Generated from packages/core/src/config-spec.ts: edit there, then run `node scripts/gen-env-example.mjs`.",
  ];
  let group = "";
  for (const variable of variableSpecs as readonly VariableSpec[]) {
    if (variable.group !== group) {
      group = variable.group;
      lines.push("", `# ── ${groupTitles[group] ?? group} ──`);
    }
    lines.push(`# ${variable.description} Expected: ${variable.expected}.`);
    lines.push(
      variable.default === undefined ? `# ${variable.name}=` : `${variable.name}=${variable.default}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A Markdown table of every variable, for the README. */
export function renderConfigTable(): string {
  const rows = (variableSpecs as readonly VariableSpec[]).map(
    (variable) =>
      `| \`${variable.name}\` | ${variable.default === undefined ? "—" : `\`${variable.default}\``} | ${variable.description} |`,
  );
  return ["| variable | default | meaning |", "|---|---|---|", ...rows].join("\n");
}
