import type { ExecResult } from "@longshot/sandbox";
import { z } from "zod";
import type { AgentTool, ToolContext } from "./agent-tool.js";
import { defineTool } from "./define-tool.js";

/** One of the project's checks, as `run_checks` runs it. */
export interface CheckCommand {
  /** Shown to the model, such as `build` or `test`. */
  readonly name: string;
  /** Shell command line run at the repository root. */
  readonly command: string;
  /** Default ten minutes. */
  readonly timeoutMs?: number;
}

/** Cap on what one command may hold in memory per stream; the model sees far less. */
const execOutputCap = 262_144;

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
    const result = await execWithProgress(context, input.command, input.timeoutSeconds * 1000, input.cwd);
    return {
      ok: result.exitCode === 0 && !result.timedOut,
      output: formatExec(result, input.timeoutSeconds),
    };
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
      const sections: string[] = [];
      let allPassed = true;
      for (const check of checks) {
        const timeoutMs = check.timeoutMs ?? 600_000;
        const result = await execWithProgress(context, check.command, timeoutMs);
        const passed = result.exitCode === 0 && !result.timedOut;
        allPassed &&= passed;
        sections.push(
          `## ${check.name}: ${passed ? "PASS" : "FAIL"} (\`${check.command}\`)\n${formatExec(result, timeoutMs / 1000)}`,
        );
      }
      const verdict = allPassed ? "All checks passed." : "Some checks failed.";
      return { ok: allPassed, output: `${verdict}\n\n${sections.join("\n\n")}` };
    },
  });
}

function execWithProgress(
  context: ToolContext,
  command: string,
  timeoutMs: number,
  cwd?: string,
): Promise<ExecResult> {
  return context.sandbox.exec({
    command,
    ...(cwd === undefined ? {} : { cwd }),
    timeoutMs,
    signal: context.signal,
    maxOutputBytes: execOutputCap,
    onStdout: () => context.reportActivity(),
    onStderr: () => context.reportActivity(),
  });
}

function formatExec(result: ExecResult, timeoutSeconds: number): string {
  const status = result.timedOut
    ? `timed out after ${timeoutSeconds}s (killed)`
    : `exit code ${result.exitCode}`;
  const parts = [status];
  if (result.stdout !== "") parts.push(`--- stdout ---\n${result.stdout}`);
  if (result.stderr !== "") parts.push(`--- stderr ---\n${result.stderr}`);
  return parts.join("\n");
}
