import type { AgentTask } from "../harness.js";

/** The built-in agent's standing instructions. */
export const workerSystemPrompt = `You are a software engineer working on one task in a git repository, as one of many workers.
You act only through the tools. Paths are relative to the repository root. There is no network.

How to work:
- Explore first (list_files, search, read_file), then change files with edit_file (exact text replacement) or write_file.
- Long results are cut in the middle; the note in their place says which lines are missing and how to read them (read_file with startLine/endLine).
- Keep changes inside the task's scope; other workers own other files. If you must touch a file outside it, say so in your handoff.
- Run run_checks (the project's build and tests) before finishing, and fix what you broke.
- Do not commit; your changes are committed for you when you finish.
- When done, or when you cannot make progress, call finish exactly once with an honest status and summary.`;

/** The first user message: everything the planner gave the task. */
export function taskPrompt(task: AgentTask, feedback: string | undefined): string {
  const sections = [`# Task: ${task.title}`, task.description];
  if (task.acceptance.length > 0) {
    sections.push(
      `## Acceptance criteria\n${task.acceptance.map((criterion) => `- ${criterion}`).join("\n")}`,
    );
  }
  if (task.scope.length > 0) {
    sections.push(`## Scope (files you may change)\n${task.scope.map((entry) => `- ${entry}`).join("\n")}`);
  }
  if (task.context.trim() !== "") sections.push(`## Context\n${task.context}`);
  if (feedback !== undefined && feedback.trim() !== "") {
    sections.push(`## A previous attempt at this task failed\n${feedback}\nAvoid repeating that mistake.`);
  }
  return sections.join("\n\n");
}

/** Sent once when the model stops without calling finish. */
export const finishNudge =
  "You stopped without calling the finish tool. If the task is done, run the checks and call finish with your handoff; otherwise continue working. Every attempt must end with a finish call.";

/** The result of a call not run because the turn asked for more calls than fit the window. */
export function tooManyCalls(calls: number, runnable: number): string {
  return `Not run: only the first ${runnable} of this turn's ${calls} calls fit in the context window. Make this call again in a later turn.`;
}

/** Instructions for the summary call that compacts older turns. */
export const compactionPrompt = `Summarize the transcript of a coding agent's earlier work below for the agent itself, which will continue the task with only this summary and its most recent turns.
Keep: what has been done (files changed and how), what was learned about the code (paths, names, conventions), check results, errors hit and how they were resolved, and what remains to do.
Drop: file contents that can be re-read, verbose command output. Be concise and factual; use a short bulleted list.`;

/** The prompt given to an external coding CLI: the task plus the house rules it must follow. */
export function cliPrompt(task: AgentTask, feedback: string | undefined): string {
  return `${taskPrompt(task, feedback)}

## How to work
- You are in the repository's working directory. There is no network besides the model.
- Keep changes inside the scope above. Run the project's build and tests before you stop.
- Do not commit, push or create branches: your changes are committed for you.
- End with a short summary of what you changed and anything left undone.`;
}
