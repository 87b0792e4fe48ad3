import { type Clock, type EmitEvent, InternalError } from "@longshot/core";
import type { CommitInfo, CommitWriter, Git, GitRunner, Identity } from "@longshot/git";
import type { IntegrationTarget, TargetSwapOutcome } from "../integration-target.js";
import type {
  AutoResolution,
  MergeGateOptions,
  MergeResult,
  MergeStrategy,
  RegenerateLockfiles,
} from "../types.js";
import { type HeadState, integrateOne } from "./integrate-one.js";
import type { QueuePlumbing } from "./queue-plumbing.js";
import type { QueueEntry } from "./ready-order.js";
import { signalOption } from "./signal-option.js";

/** What landing a batch needs from its queue: configuration, state, and where results go. */
export interface BatchHost {
  readonly git: Git;
  readonly writer: CommitWriter;
  readonly target: IntegrationTarget;
  readonly strategy: MergeStrategy;
  readonly committer: Identity;
  readonly date: Date;
  /** Set: conflicts the queue can settle are resolved (see resolveConflict). */
  readonly autoResolve:
    | { readonly runner: GitRunner; readonly regenerateLockfiles?: RegenerateLockfiles }
    | undefined;
  readonly clock: Clock;
  readonly emit: EmitEvent;
  readonly gate: MergeGateOptions | undefined;
  readonly maxCasRetries: number;
  readonly maxPushAttempts: number;
  readonly pushRetryDelayMs: number;
  readonly signal: AbortSignal | undefined;
  /** Long-lived git for reads and quick merges; null: one git process per question. */
  readonly plumbing: QueuePlumbing | null;
  readonly landed: Set<string>;
  /** Where each result goes the moment it is decided. */
  readonly results: Pick<MergeResult[], "push">;
  /** Puts an entry back in the queue, to be decided against the real head later. */
  requeue(entry: QueueEntry): void;
  /** The cached integration head; undefined when it must be read from the target. */
  head(): HeadState | null | undefined;
  setHead(head: HeadState | null | undefined): void;
}

interface ChainMember {
  readonly entry: QueueEntry;
  readonly previous: HeadState | null;
  readonly after: HeadState;
  readonly empty: boolean;
  readonly resolved: readonly AutoResolution[];
}

const noPrevious = "0".repeat(40);

/**
 * Lands `entries` in order as one candidate chain: builds the chain on the head, checks it with
 * the gate (if any), and moves the target by compare-and-swap, rebuilding on the new head when a
 * race is lost. A chain the gate rejects is split in two and each half is landed on its own
 * (bors-style bisection) until the culprits stand alone. `knownBadTree` is the head tree on
 * which exactly this chain is already known to fail, so that gate run can be skipped.
 */
export async function landBatch(
  host: BatchHost,
  entries: readonly QueueEntry[],
  knownBadTree: string | null,
): Promise<void> {
  let current = entries;
  for (let casRetries = 0; ; casRetries++) {
    const head = await currentHead(host);
    const members = await buildChain(host, current, head);
    const last = members.at(-1);
    if (last === undefined) return;
    const tip = last.after;
    if (tip.sha === head?.sha) {
      recordLanded(host, members, casRetries);
      return;
    }
    const knownBad =
      casRetries === 0 && head !== null && head.tree === knownBadTree && members.length === entries.length;
    if (!(knownBad ? false : await runGate(host, members, tip))) {
      await bisect(host, members, tip);
      return;
    }
    const swap = await swapTarget(host, tip.sha, head?.sha ?? null);
    if (swap.kind === "moved") {
      host.setHead(tip);
      recordLanded(host, members, casRetries);
      return;
    }
    if (swap.kind === "failed") {
      host.setHead(undefined);
      for (const { entry } of members) {
        host.results.push({ kind: "push-failed", ...identify(entry), error: swap.error });
      }
      return;
    }
    host.setHead(await headAt(host, swap.actual));
    if (casRetries >= host.maxCasRetries) {
      const detail = `lost ${casRetries + 1} compare-and-swap races on ${host.target.ref}`;
      for (const { entry } of members) {
        host.results.push({ kind: "skipped", ...identify(entry), reason: "contended", detail });
      }
      return;
    }
    current = members.map((member) => member.entry);
  }
}

async function bisect(host: BatchHost, members: readonly ChainMember[], tip: HeadState): Promise<void> {
  const [only] = members;
  if (only !== undefined && members.length === 1) {
    host.results.push({ kind: "gate-failed", ...identify(only.entry), candidate: tip.sha });
    return;
  }
  const middle = Math.ceil(members.length / 2);
  const left = members.slice(0, middle);
  await landBatch(
    host,
    left.map((member) => member.entry),
    null,
  );
  // If the left half landed as it was, the right half on top of it is the chain that just failed.
  await landBatch(
    host,
    members.slice(middle).map((member) => member.entry),
    left.at(-1)?.after.tree ?? null,
  );
}

async function buildChain(
  host: BatchHost,
  entries: readonly QueueEntry[],
  head: HeadState | null,
): Promise<ChainMember[]> {
  const members: ChainMember[] = [];
  const inChain = new Set<string>();
  let current = head;
  const context = {
    git: host.git,
    writer: host.writer,
    strategy: host.strategy,
    committer: host.committer,
    date: host.date,
    ...(host.autoResolve === undefined ? {} : { autoResolve: host.autoResolve }),
    ...quickMergeOf(host),
    ...signalOption(host.signal),
  };
  const revs = entries.map((entry) => entry.request.commit);
  const tips = await (host.plumbing === null
    ? host.git.showCommits(revs, signalOption(host.signal))
    : host.plumbing.readCommits(revs, host.signal));
  for (const entry of entries) {
    const { request } = entry;
    if (!(request.dependsOn ?? []).every((taskId) => host.landed.has(taskId) || inChain.has(taskId))) {
      host.requeue(entry);
      continue;
    }
    const integration = await integrateOne(context, current, request, tips.get(request.commit) ?? null);
    const behindCandidates = members.some((member) => !member.empty);
    switch (integration.kind) {
      case "advance":
        members.push({
          entry,
          previous: current,
          after: integration.head,
          empty: false,
          resolved: integration.resolved,
        });
        inChain.add(request.taskId);
        current = integration.head;
        break;
      case "unchanged":
        if (current === null) throw new InternalError("An unchanged integration needs an existing head.");
        members.push({
          entry,
          previous: current,
          after: current,
          empty: true,
          resolved: integration.resolved,
        });
        inChain.add(request.taskId);
        break;
      case "missing":
        host.results.push({
          kind: "skipped",
          ...identify(entry),
          reason: "missing-commit",
          detail: `${request.commit} does not name a commit`,
        });
        break;
      case "not-fast-forward":
        if (behindCandidates) host.requeue(entry);
        else {
          const detail = `${integration.tip} is not based on ${current?.sha ?? "the integration head"}`;
          host.results.push({ kind: "skipped", ...identify(entry), reason: "not-fast-forward", detail });
        }
        break;
      case "conflict":
        // A conflict with candidates that have not landed yet is decided later, on the real head.
        if (behindCandidates) host.requeue(entry);
        else recordConflict(host, entry, integration, current?.sha ?? noPrevious);
        break;
    }
  }
  return members;
}

function recordConflict(
  host: BatchHost,
  entry: QueueEntry,
  conflict: {
    readonly files: readonly string[];
    readonly tree: string;
    readonly tip: string;
    readonly detail: string | null;
  },
  head: string,
): void {
  const { taskId, attempt } = identify(entry);
  host.results.push({
    kind: "conflict",
    taskId,
    attempt,
    files: conflict.files,
    tree: conflict.tree,
    head,
    tip: conflict.tip,
    detail: conflict.detail,
  });
  if (conflict.detail !== null) {
    host.emit({ type: "log", level: "warn", message: `${taskId}: ${conflict.detail}`, taskId });
  }
  host.emit({ type: "merge-conflict", taskId, attempt, files: [...conflict.files] });
}

function recordLanded(host: BatchHost, members: readonly ChainMember[], casRetries: number): void {
  for (const { entry, previous, after, empty, resolved } of members) {
    const { taskId, attempt } = identify(entry);
    host.landed.add(taskId);
    emitResolutions(host, taskId, attempt, resolved);
    const previousSha = previous?.sha ?? null;
    const strategy = host.strategy;
    host.results.push(
      empty
        ? { kind: "no-op", taskId, attempt, head: after.sha, strategy, resolved, casRetries }
        : {
            kind: "landed",
            taskId,
            attempt,
            sha: after.sha,
            previous: previousSha,
            strategy,
            resolved,
            casRetries,
          },
    );
    host.emit({
      type: "merge-land",
      taskId,
      attempt,
      sha: after.sha,
      previous: previousSha ?? noPrevious,
      strategy,
      noop: empty,
    });
  }
}

/** One `merge-auto-resolved` event per rule the landing used, files in order. */
function emitResolutions(
  host: BatchHost,
  taskId: string,
  attempt: number,
  resolved: readonly AutoResolution[],
): void {
  const rules = [...new Set(resolved.map((resolution) => resolution.rule))];
  for (const rule of rules) {
    const files = resolved.filter((resolution) => resolution.rule === rule);
    host.emit({
      type: "merge-auto-resolved",
      taskId,
      attempt,
      rule,
      files: files.map((resolution) => resolution.file),
      hunks: files.reduce((sum, resolution) => sum + resolution.hunks, 0),
    });
  }
}

async function runGate(host: BatchHost, members: readonly ChainMember[], tip: HeadState): Promise<boolean> {
  if (host.gate === undefined) return true;
  const taskIds = members.map((member) => member.entry.request.taskId);
  const signal = host.signal ?? new AbortController().signal;
  const pass = await host.gate.check({ commit: tip.sha, tree: tip.tree, taskIds }, signal);
  host.emit({ type: "merge-gate", taskIds, pass, check: host.gate.name });
  return pass;
}

async function swapTarget(
  host: BatchHost,
  next: string,
  expected: string | null,
): Promise<TargetSwapOutcome> {
  if (!host.target.remote) return host.target.compareAndSwap(next, expected, host.signal);
  for (let attempt = 1; ; attempt++) {
    const outcome = await host.target.compareAndSwap(next, expected, host.signal);
    const error =
      outcome.kind === "moved"
        ? null
        : outcome.kind === "stale"
          ? `the remote branch moved to ${outcome.actual ?? "nothing"}`
          : outcome.error;
    host.emit({ type: "merge-push", ref: host.target.ref, sha: next, ok: outcome.kind === "moved", error });
    if (outcome.kind !== "failed" || attempt >= host.maxPushAttempts) return outcome;
    await host.clock.sleep(host.pushRetryDelayMs * attempt, host.signal);
  }
}

async function currentHead(host: BatchHost): Promise<HeadState | null> {
  const cached = host.head();
  if (cached !== undefined) return cached;
  const head = await headAt(host, await host.target.head(host.signal));
  host.setHead(head);
  return head;
}

async function headAt(host: BatchHost, sha: string | null): Promise<HeadState | null> {
  if (sha === null) return null;
  const head =
    host.plumbing === null
      ? await host.git.showCommit(sha, signalOption(host.signal))
      : await host.plumbing.headAt(sha, host.signal);
  if (head === null) throw new InternalError(`The integration head ${sha} is not in the local repository.`);
  return { sha: head.sha, tree: head.tree };
}

/** Quick merges apply to the rebase strategy, whose integration history is one commit per landing. */
function quickMergeOf(host: BatchHost): {
  quickMerge?: (head: HeadState, tip: CommitInfo) => Promise<string | null>;
} {
  const plumbing = host.plumbing;
  if (plumbing === null || host.strategy !== "rebase") return {};
  return { quickMerge: (head, tip) => plumbing.quickMerge(head, tip, host.signal) };
}

function identify(entry: QueueEntry): { taskId: string; attempt: number } {
  return { taskId: entry.request.taskId, attempt: entry.request.attempt };
}
