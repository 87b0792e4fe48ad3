import { join } from "node:path";
import {
  type Config,
  createLogger,
  type Logger,
  RandomIdSource,
  systemClock,
  UserError,
} from "@longshot/core";
import { longshotIdentity } from "@longshot/engine";
import { ProcessGitRunner } from "@longshot/git";
import {
  connectGitHub,
  type ProposeGap,
  RepoGit,
  RepoWatcher,
  SqliteWatchJournal,
  startWebhookReceiver,
  WatchApi,
  WatchLoop,
  type WebhookReceiver,
} from "@longshot/github";
import { modelClientFromConfig } from "@longshot/llm";
import { gapAnalysis } from "@longshot/planner";
import { SqliteStore } from "@longshot/store";
import type { OutputMode } from "../event-output.js";
import type { Output } from "../output.js";
import { checkRepository, databaseOf, stateDirOf } from "../run-context.js";
import { CliRunDriver } from "./github-run-driver.js";

export interface GithubWatchOptions {
  readonly config: Config;
  readonly secrets: readonly string[];
  /** The repositories to watch (local clones whose origin is on GitHub). */
  readonly repos: readonly string[];
  readonly label: string;
  /** Stop after this many seconds (runs drain and resume next time); undefined for no limit. */
  readonly watchTime?: number;
  readonly mode: OutputMode;
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * `longshot github --watch`: the unattended loop over one or more repositories until Ctrl+C,
 * SIGTERM or the time budget. Everything is checked before the first side effect.
 */
export async function githubWatch(options: GithubWatchOptions): Promise<number> {
  const { config, output } = options;
  if (config.GITHUB_WEBHOOK_PORT !== undefined && config.GITHUB_WEBHOOK_SECRET === undefined) {
    throw new UserError(
      "GITHUB_WEBHOOK_PORT is set but GITHUB_WEBHOOK_SECRET is not; set the webhook's secret so deliveries can be verified.",
    );
  }
  const controller = new AbortController();
  const closers: (() => Promise<void> | void)[] = [];
  const stop = (): void => controller.abort();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    const watchers: RepoWatcher[] = [];
    const loggers: Logger[] = [];
    const gap = await gapProposer(config, controller.signal);
    for (const path of options.repos) {
      const opened = await openWatcher(options, path, gap, controller.signal);
      watchers.push(opened.watcher);
      loggers.push(opened.logger);
      closers.push(...opened.closers);
    }
    const loop = new WatchLoop({
      watchers,
      parallel: config.GITHUB_WATCH_PARALLEL,
      intervalMs: config.GITHUB_POLL_INTERVAL * 1000,
      deadline: options.watchTime === undefined ? null : systemClock.now() + options.watchTime * 1000,
      clock: systemClock,
      logger: loggers[0]!,
      signal: controller.signal,
      onCycle: (report) => {
        for (const step of report.steps) output.err(`${report.repository} ${step}`);
      },
      onError: (repository, error) =>
        output.err(`${repository}: this cycle failed (${String(error)}); retrying later.`),
    });
    let receiver: WebhookReceiver | null = null;
    if (config.GITHUB_WEBHOOK_PORT !== undefined && config.GITHUB_WEBHOOK_SECRET !== undefined) {
      receiver = await startWebhookReceiver({
        port: config.GITHUB_WEBHOOK_PORT,
        secret: config.GITHUB_WEBHOOK_SECRET,
        onDelivery: () => loop.wake(),
      });
      const active = receiver;
      closers.push(() => active.close());
      output.err(`Webhook receiver listening on ${receiver.url}.`);
    }
    output.err(
      `Watching ${watchers.map((watcher) => watcher.repository).join(", ")} for issues labelled "${options.label}" (every ${config.GITHUB_POLL_INTERVAL} s${options.watchTime === undefined ? "" : `, for ${options.watchTime} s`}; kill switch: the "${config.GITHUB_KILL_LABEL}" label).`,
    );
    const summary = await loop.run();
    output.err(
      `Watch ended (${summary.reason === "deadline" ? "time budget spent" : "stopped"}) after ${summary.cycles} cycle(s), ${summary.errors} failed.`,
    );
    return summary.reason === "stopped" && controller.signal.aborted ? 130 : 0;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    for (const close of closers.reverse()) await close();
  }
}

/** The watcher of one repository, with what must be closed when the watch ends. */
async function openWatcher(
  options: GithubWatchOptions,
  path: string,
  gap: ProposeGap | null,
  signal: AbortSignal,
): Promise<{ watcher: RepoWatcher; logger: Logger; closers: (() => Promise<void> | void)[] }> {
  const { config, env } = options;
  const { repo } = await checkRepository(path, config);
  const { client, repository } = await connectGitHub({
    repoPath: repo,
    token: config.GITHUB_TOKEN,
    ...(env.GITHUB_REPOSITORY && options.repos.length === 1 ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    signal,
  });
  const name = `${repository.owner}/${repository.repo}`;
  const store = new SqliteStore(databaseOf(repo), { clock: systemClock });
  const journal = new SqliteWatchJournal(databaseOf(repo), name, systemClock);
  const logger = createLogger({
    file: join(stateDirOf(repo), "github-watch.log"),
    level: config.LOG_LEVEL,
    secrets: options.secrets,
  });
  const watcher = new RepoWatcher({
    repository: name,
    api: new WatchApi(client),
    journal,
    runs: new CliRunDriver({ ...options, repo, store }),
    git: new RepoGit({
      repoPath: repo,
      token: config.GITHUB_TOKEN ?? "",
      runner: new ProcessGitRunner(),
      identity: longshotIdentity,
    }),
    settings: {
      label: options.label,
      killLabel: config.GITHUB_KILL_LABEL,
      approvalLabel: config.GITHUB_APPROVAL_LABEL,
      baseBranch: config.GIT_MAIN_BRANCH,
      issueBudgetUsd: config.GITHUB_ISSUE_MAX_COST_USD ?? null,
      dailyBudgetUsd: config.GITHUB_DAILY_MAX_COST_USD ?? null,
      runBudgetUsd: config.MAX_COST_USD ?? null,
      autoMerge: config.GITHUB_AUTO_MERGE,
      capabilitiesPath: config.GITHUB_CAPABILITIES_FILE,
      goalPath: config.GITHUB_GOAL_FILE ?? null,
      maxGapIssues: config.GITHUB_MAX_GAP_ISSUES,
      progressEveryMs: config.GITHUB_POLL_INTERVAL * 1000,
    },
    clock: systemClock,
    logger,
    gap,
    statusCache: new Map(),
  });
  return { watcher, logger, closers: [() => store.close(), () => journal.close(), () => logger.flush()] };
}

/** Gap analysis through the planner model, or null when gap analysis is off. */
async function gapProposer(config: Config, signal: AbortSignal): Promise<ProposeGap | null> {
  if (config.GITHUB_MAX_GAP_ISSUES === 0) return null;
  const { client: model } = await modelClientFromConfig(config, { signal });
  return async (goal, capabilities, callSignal) => {
    const runId = new RandomIdSource().runId(systemClock.now());
    const result = await gapAnalysis({
      goal,
      capabilities,
      model,
      runId,
      signal: callSignal,
      maxTasks: Math.max(3, config.GITHUB_MAX_GAP_ISSUES),
    });
    return result.ok ? { summary: result.summary, tasks: result.tasks } : null;
  };
}
