import { z } from "zod";
import type { CheckCommand } from "../check-command.js";
import { execOutputCap, formatExec, runChecks } from "../internal/run-checks.js";
import type { AgentTool } from "./agent-tool.js";
import { defineTool } from "./define-tool.js";

export type { CheckCommand } from "../check-command.js";

/** `run`: one shell command with a timeout. */
export const runTool: AgentTool = defineTool({
  name: "run",
  description:
    "Run a shell command (bash) at the repository root or in cwd. There is no network. Returns the exit code, stdout and stderr.",
  input: z.object({
    command: z.string().min(1),
    cwd: z.string().optional().describe("Directory relative to the repository root"),
    timeoutSeconds: z.number().int().min(1).max(3600).default(120),
  }),
  async execute(input, context) {
    const timeoutMs = input.timeoutSeconds * 1000;
    const result = await context.sandbox.exec({
      command: input.command,
      ...(input.cwd === undefined ? {} : { cwd: input.cwd }),
      timeoutMs,
      signal: context.signal,
      maxOutputBytes: execOutputCap,
      onStdout: () => context.reportActivity(),
      onStderr: () => context.reportActivity(),
    });
    return { ok: result.exitCode === 0 && !result.timedOut, output: formatExec(result, timeoutMs) };
  },
});

/**
 * `run_checks`: the project's build and test commands, in order, with a verdict for each. The
 * commands are the orchestrator's, so the model cannot weaken them.
 */
export function runChecksTool(checks: readonly CheckCommand[]): AgentTool {
  const names = checks.map((check) => check.name).join(", ") || "none configured";
  return defineTool({
    name: "run_checks",
    description: `Run the project's checks (${names}) and report which pass. Run them before finishing.`,
    input: z.object({}),
    async execute(_input, context) {
      if (checks.length === 0) return "No checks are configured for this project.";
      const runs = await runChecks(context.sandbox, checks, context.signal, () => context.reportActivity());
      const sections = runs.map(
        ({ check, passed, result }) =>
          `## ${check.name}: ${passed ? "PASS" : "FAIL"} (\`${check.command}\`)\n${formatExec(result, check.timeoutMs ?? 600_000)}`,
      );
      const allPassed = runs.every((run) => run.passed);
      return {
        ok: allPassed,
        output: `${allPassed ? "All checks passed." : "Some checks failed."}\n\n${sections.join("\n\n")}`,
      };
    },
  });
}
