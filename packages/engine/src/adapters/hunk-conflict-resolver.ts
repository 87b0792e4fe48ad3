import type { CheckCommand } from "@longshot/agent";
import { type Clock, messageOf, taskBranch, type Usage, zeroUsage } from "@longshot/core";
import type { Git, GitRunner, Identity } from "@longshot/git";
import type { Completion, LanguageModel } from "@longshot/llm";
import { commitResolution, describeHunks, type HunkConflict, hunkCount } from "@longshot/merge-queue";
import type { PromptTemplate } from "@longshot/planner";
import type { Sandbox, SandboxLimits, SandboxProvider } from "@longshot/sandbox";
import { answerSchema, conflictMessages, resolutionSchemaName } from "../conflict-prompt.js";
import type { ConflictResolution, ConflictResolver, ConflictToResolve } from "../ports.js";

/** Options of {@link HunkConflictResolver}. */
export interface HunkConflictResolverOptions {
  readonly git: Git;
  /** Runs git with a private index to write the resolved tree. */
  readonly runner: GitRunner;
  readonly model: LanguageModel;
  /** The run's sandbox provider: the checks run where the run's agents run. */
  readonly sandboxes: SandboxProvider;
  /** The project's checks (what workers run with `run_checks`), run on the resolved commit. */
  readonly checks: readonly CheckCommand[];
  readonly repoPath: string;
  readonly branchPrefix: string;
  /** The run's sandbox limits; the network is always off. */
  readonly limits: SandboxLimits;
  /** Author and committer of resolved commits. */
  readonly identity: Identity;
  readonly clock: Clock;
  /** The versioned prompt (`resolve-conflict@N`). */
  readonly prompt: PromptTemplate;
  /** More hunks than this go to a new attempt: redoing the task is the smaller job. Default 24. */
  readonly maxHunks?: number;
}

const sum = (completions: readonly Completion[]): Usage =>
  completions.reduce(
    (total, completion) => ({
      promptTokens: total.promptTokens + completion.usage.promptTokens,
      completionTokens: total.completionTokens + completion.usage.completionTokens,
      cachedTokens: total.cachedTokens + completion.usage.cachedTokens,
    }),
    zeroUsage,
  );

const tail = (text: string): string => text.trim().split("\n").slice(-6).join(" / ").slice(0, 600);

/**
 * The resolution step at the size of the conflict: reads the conflicted hunks (files a
 * structured rule settles are settled first), asks the fixer's model once for the hunks with
 * both sides' intents, writes the answer as a commit on the conflicted head, and runs the
 * project's checks on it in a sandbox of the run's provider. Only a resolution that passes is
 * returned; every failure (unanswerable files, too many hunks, no valid answer, a budget, failing
 * checks, a sandbox that does not start) is an `unresolved` value with its reason and the
 * tokens spent, so the task runs again. Rejects only when the request's signal aborts.
 */
export class HunkConflictResolver implements ConflictResolver {
  readonly #options: HunkConflictResolverOptions;

  constructor(options: HunkConflictResolverOptions) {
    this.#options = options;
  }

  async resolve(request: ConflictToResolve): Promise<ConflictResolution> {
    const files = request.conflict.files;
    const unresolved = (reason: string, hunks: number, usage: Usage = zeroUsage): ConflictResolution => ({
      kind: "unresolved",
      files,
      hunks,
      usage,
      reason,
    });
    let described: HunkConflict;
    try {
      described = await describeHunks(this.#options.git, request.conflict, { signal: request.signal });
    } catch (error) {
      if (request.signal.aborted) throw error;
      return unresolved(`the conflict could not be read: ${messageOf(error)}`, 0);
    }
    const hunks = hunkCount(described);
    const maxHunks = this.#options.maxHunks ?? 24;
    if (described.unanswerable.length > 0)
      return unresolved(`${described.unanswerable.join(", ")} cannot be resolved hunk by hunk`, hunks);
    if (hunks > maxHunks) return unresolved(`${hunks} hunks are more than ${maxHunks}`, hunks);
    const answer =
      hunks === 0 ? { answers: [], usage: zeroUsage } : await this.#ask(request, described, maxHunks);
    if ("reason" in answer) return unresolved(answer.reason, hunks, answer.usage);
    const usage = answer.usage;
    try {
      const written = await commitResolution(
        { git: this.#options.git, runner: this.#options.runner, signal: request.signal },
        described,
        answer.answers,
        {
          message: `${request.task.title}\n\nConflict with ${request.conflict.head.slice(0, 10)} resolved at hunk size.\n\nLongshot-Task: ${request.task.id}\nLongshot-Attempt: ${request.attempt}\n`,
          author: this.#options.identity,
          committer: this.#options.identity,
          date: new Date(this.#options.clock.now()),
        },
      );
      if (!written.ok) return unresolved(written.problems.join(" "), hunks, usage);
      const failing = await this.#check(request, written.commit);
      if (failing !== null) return unresolved(failing, hunks, usage);
      return { kind: "resolved", commit: written.commit, files, hunks, usage };
    } catch (error) {
      if (request.signal.aborted) throw error;
      return unresolved(`the resolution could not be verified: ${messageOf(error)}`, hunks, usage);
    }
  }

  async #ask(
    request: ConflictToResolve,
    described: HunkConflict,
    maxHunks: number,
  ): Promise<
    | { readonly answers: readonly { id: string; resolution: string }[]; readonly usage: Usage }
    | { readonly reason: string; readonly usage: Usage }
  > {
    const result = await this.#options.model.generateObject(
      answerSchema(described),
      { messages: conflictMessages(this.#options.prompt, request, described, maxHunks) },
      {
        role: "fixer",
        runId: request.runId,
        taskId: request.task.id,
        signal: request.signal,
        schemaName: resolutionSchemaName,
      },
    );
    if (result.ok) {
      const usage = sum(result.completions);
      if (result.value.cannotResolve !== null)
        return { reason: `the model could not resolve it: ${result.value.cannotResolve}`, usage };
      return { answers: result.value.hunks, usage };
    }
    switch (result.kind) {
      case "invalid-output":
        return { reason: `no valid resolution: ${result.error}`, usage: sum(result.completions) };
      case "budget":
        return { reason: result.message, usage: zeroUsage };
      case "failed":
        return { reason: `the model call failed: ${result.error}`, usage: zeroUsage };
    }
  }

  /** Runs the checks on `commit` in a fresh sandbox; the first failure's name and output, or null. */
  async #check(request: ConflictToResolve, commit: string): Promise<string | null> {
    if (this.#options.checks.length === 0) return null;
    const { signal } = request;
    let sandbox: Sandbox | undefined;
    try {
      sandbox = await this.#options.sandboxes.create({
        repoPath: this.#options.repoPath,
        baseCommit: commit,
        runId: request.runId,
        taskId: request.task.id,
        branch: `${taskBranch(this.#options.branchPrefix, request.runId, request.task.id)}-resolve`,
        limits: { ...this.#options.limits, network: false },
        signal,
      });
      for (const check of this.#options.checks) {
        const timeoutMs = check.timeoutMs ?? 600_000;
        const result = await sandbox.exec({
          command: check.command,
          timeoutMs,
          signal,
          maxOutputBytes: 65_536,
        });
        if (result.timedOut) return `${check.name} timed out after ${Math.round(timeoutMs / 1000)} s`;
        if (result.exitCode !== 0)
          return `${check.name} failed on the resolution (exit ${result.exitCode}): ${tail(`${result.stdout}\n${result.stderr}`)}`;
      }
      return null;
    } finally {
      await sandbox?.destroy().catch(() => undefined);
    }
  }
}
