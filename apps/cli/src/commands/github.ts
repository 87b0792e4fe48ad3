import { type Config, RandomIdSource, systemClock, UserError } from "@longshot/core";
import { Git } from "@longshot/git";
import { connectGitHub, issueFromGapAnalysis, pushBranch, runIssueMode } from "@longshot/github";
import { modelClientFromConfig } from "@longshot/llm";
import { gapAnalysis } from "@longshot/planner";
import type { OutputMode } from "../event-output.js";
import type { Output } from "../output.js";
import { checkRepository } from "../run-context.js";
import { executeRun } from "./run.js";

export interface GithubCommandOptions {
  readonly config: Config;
  readonly secrets: readonly string[];
  readonly repo: string;
  readonly label: string;
  readonly goal?: string;
  readonly capabilities?: string;
  readonly mode: OutputMode;
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * `longshot github`: one cycle of issue-driven mode. Labeled issues become runs; each run
 * comments on its issue and opens a pull request that closes it. With a goal and a capabilities
 * document, the next issue is filed from a gap analysis when none is waiting.
 */
export async function githubCommand(options: GithubCommandOptions): Promise<number> {
  const { config, output, env } = options;
  const { repo } = await checkRepository(options.repo, config);
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.on("SIGINT", onInterrupt);
  try {
    const { client } = await connectGitHub({
      repoPath: repo,
      token: config.GITHUB_TOKEN,
      ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
      ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
      signal: controller.signal,
    });
    const token = config.GITHUB_TOKEN ?? "";
    let gap: Parameters<typeof runIssueMode>[0]["gap"];
    if (options.goal !== undefined || options.capabilities !== undefined) {
      if (options.goal === undefined || options.capabilities === undefined) {
        throw new UserError(
          "Gap analysis needs both --goal and --capabilities (paths of two documents in the repository).",
        );
      }
      const git = new Git(repo);
      const read = async (path: string): Promise<string> => {
        const text = await git.readFile(`refs/heads/${config.GIT_MAIN_BRANCH}`, path);
        if (text === null)
          throw new UserError(`${path} is not on ${config.GIT_MAIN_BRANCH}; commit it or fix the path.`);
        return text;
      };
      const { client: model } = await modelClientFromConfig(config, { signal: controller.signal });
      gap = {
        goal: await read(options.goal),
        capabilities: await read(options.capabilities),
        propose: async (goal, capabilities, signal) => {
          const runId = new RandomIdSource().runId(systemClock.now());
          const result = await gapAnalysis({ goal, capabilities, model, runId, signal });
          return result.ok ? issueFromGapAnalysis(result) : null;
        },
      };
    }
    const result = await runIssueMode({
      client,
      label: options.label,
      signal: controller.signal,
      ...(gap === undefined ? {} : { gap }),
      pullRequest: {
        base: config.GIT_MAIN_BRANCH,
        push: (branch, signal) => pushBranch({ repoPath: repo, remote: "origin", branch, token, signal }),
      },
      startRun: async (request, _issue, context) => {
        const outcome = await executeRun({
          config,
          secrets: options.secrets,
          repo,
          request,
          mode: options.mode,
          output,
          env,
          noLanding: true,
          reset: true,
          onStarted: (runId) => void context.started(runId),
        });
        return {
          runId: outcome.runId,
          status: outcome.result.status,
          reportMarkdown: outcome.reportMarkdown,
          branch: outcome.integrationBranch,
        };
      },
    });
    for (const handled of result.handled) {
      output.err(
        `#${handled.issue.number} ${handled.issue.title}: ${handled.status}${handled.pullRequest ? ` (${handled.pullRequest.url})` : ""}${handled.problem ? `: ${handled.problem}` : ""}`,
      );
    }
    if (result.gap) output.err(`Gap analysis: ${JSON.stringify(result.gap)}`);
    if (result.handled.length === 0) output.err(`No open issue labeled "${options.label}" is waiting.`);
    return result.handled.every((handled) => handled.status === "green") ? 0 : 1;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
