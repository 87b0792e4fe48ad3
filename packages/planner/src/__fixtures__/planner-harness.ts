import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Handoff, ManualClock, type NewEvent } from "@longshot/core";
import { EndpointPool, ModelClient } from "@longshot/llm";
import {
  createTempRepo,
  type FakeLlmServer,
  type FakePolicy,
  type FakeRequest,
  type FakeTextReply,
  type FileChanges,
  type ScriptEntry,
  startFakeLlm,
  type TempRepo,
} from "@longshot/testkit";
import { onTestFinished } from "vitest";
import { GitRepoReader } from "../git-repo-reader.js";
import { JsonFilePlannerStateStore } from "../json-file-planner-state-store.js";
import type { PlannedAmendment, PlannedTask } from "../plan-schema.js";
import type { PlanProgress } from "../internal/batch-step.js";
import { Planner } from "../planner.js";
import type { PlannerLimitsInput } from "../planner-limits.js";

/** A planner wired to a real fake-model server, a real temp repo and a real state file. */
export interface PlannerHarness {
  readonly server: FakeLlmServer;
  readonly repo: TempRepo;
  readonly statePath: string;
  readonly events: NewEvent[];
  readonly model: ModelClient;
  readonly signal: AbortSignal;
  open(limits?: PlannerLimitsInput): Promise<Planner>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly files?: FileChanges;
  readonly request?: string;
  readonly limits?: PlannerLimitsInput;
}

export async function startPlannerHarness(policy: FakePolicy, options: HarnessOptions = {}): Promise<PlannerHarness> {
  const server = await startFakeLlm({ policy });
  const repo = await createTempRepo(options.files === undefined ? {} : { files: options.files });
  const stateDirectory = await mkdtemp(join(tmpdir(), "longshot-planner-"));
  const statePath = join(stateDirectory, "planner.json");
  const events: NewEvent[] = [];
  const pool = new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: "", weight: 1 }]);
  const name = "fake-model";
  const model = new ModelClient({
    pool,
    models: { planner: name, subplanner: name, worker: name, judge: name, fixer: name, critic: name },
    maxRetries: 0,
  });
  const signal = new AbortController().signal;
  const clock = new ManualClock(1_700_000_000_000);
  const harness: PlannerHarness = {
    server,
    repo,
    statePath,
    events,
    model,
    signal,
    open: (limits) =>
      Planner.open(
        {
          runId: "r1",
          request: options.request ?? "Build per SPEC.md",
          model,
          repo: new GitRepoReader(repo.path),
          store: new JsonFilePlannerStateStore(statePath),
          emit: (event) => events.push(event),
          clock,
          branchPrefix: "longshot/",
          limits: limits ?? options.limits ?? {},
        },
        signal,
      ),
    close: async () => {
      await server.close();
      await repo.cleanup();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
  // Closed when the test that started it finishes, whether it passed or not.
  onTestFinished(() => harness.close());
  return harness;
}

/** A planned task with sensible defaults; `scope` defaults to `src/<key>.ts`. */
export function task(key: string, fields: Partial<PlannedTask> = {}): PlannedTask {
  return {
    key,
    title: `Build ${key}`,
    description: `Implement ${key} with tests.`,
    acceptance: [`${key} has passing tests`],
    scope: [`src/${key}.ts`],
    dependsOn: [],
    priority: 50,
    size: "s",
    composite: false,
    ...fields,
  };
}

export function batchReply(tasks: readonly PlannedTask[], more: boolean, scratchpad = "notes"): FakeTextReply {
  return { text: JSON.stringify({ scratchpad, phase: more ? "foundation" : "build-out", tasks, more }) };
}

export function splitReply(tasks: readonly PlannedTask[]): FakeTextReply {
  return { text: JSON.stringify({ tasks }) };
}

export interface ReplanFields {
  readonly add?: readonly PlannedTask[];
  readonly amend?: readonly PlannedAmendment[];
  readonly cancel?: readonly { id: string; reason: string }[];
  readonly retry?: readonly string[];
  readonly split?: readonly string[];
  readonly complete?: boolean;
}

export function replanReply(fields: ReplanFields): FakeTextReply {
  return {
    text: JSON.stringify({
      scratchpad: "replanned",
      add: fields.add ?? [],
      amend: fields.amend ?? [],
      cancel: fields.cancel ?? [],
      retry: fields.retry ?? [],
      split: fields.split ?? [],
      complete: fields.complete ?? false,
      completenessCheck: fields.complete === true ? "every item of SPEC.md has landed" : "work remains",
    }),
  };
}

/** Matches the user message of root-plan batch `n`. */
export const isBatch =
  (batch: number) =>
  (request: FakeRequest): boolean =>
    request.lastUserText().includes(`# Batch ${batch}\n`);

/** The planner's reply to root-plan batch `batch`: `tasks`, and whether more batches follow. */
export function plannedBatch(
  batch: number,
  tasks: readonly PlannedTask[],
  more: boolean,
  scratchpad?: string,
): ScriptEntry {
  return { role: "planner", match: isBatch(batch), reply: batchReply(tasks, more, scratchpad) };
}

/** Matches a repair round of the planner (not the model client's own schema repair). */
export const isRepair = (request: FakeRequest): boolean =>
  request.lastUserText().startsWith("Your reply cannot be used as it is.");

/** Drains a planner's root plan. */
export async function planAll(planner: Planner, signal: AbortSignal): Promise<PlanProgress[]> {
  const steps: PlanProgress[] = [];
  for await (const step of planner.plan(signal)) steps.push(step);
  return steps;
}

/** Moves a task through the whole happy path to `landed`. */
export function land(planner: Planner, id: string): void {
  for (const state of ["ready", "running", "merging", "landed"] as const) {
    if (planner.graph.require(id).state === "ready" && state === "ready") continue;
    const result = planner.graph.transition(id, state, "test");
    if (!result.ok) throw new Error(result.reason);
  }
}

/** Lands `id` and records its worker's handoff, as the engine reports a landed task. */
export function landWith(planner: Planner, id: string, handoff: Handoff): void {
  land(planner, id);
  planner.recordHandoff(id, handoff);
}

/** A complete handoff saying `summary`; `fields` adds the files changed, concerns or suggestions. */
export function completed(
  summary: string,
  fields: Partial<Pick<Handoff, "filesChanged" | "concerns" | "suggestions">> = {},
): Handoff {
  return { status: "complete", summary, filesChanged: [], concerns: [], suggestions: [], ...fields };
}

/** Moves a task through an attempt that fails. */
export function fail(planner: Planner, id: string): void {
  for (const state of ["ready", "running", "failed"] as const) {
    const result = planner.graph.transition(id, state, "test");
    if (!result.ok) throw new Error(result.reason);
  }
}
