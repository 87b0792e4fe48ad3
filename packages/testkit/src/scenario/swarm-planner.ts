import type { FakeReply } from "../fake-reply.js";
import type { FakeRequest } from "../fake-request.js";
import type { SampleModule } from "./sample-library.js";
import { barrelKey, json, readmeKey, type SwarmRun, schemaName } from "./swarm-scenario.js";

function moduleTask(entry: SampleModule, sharedIndex: boolean) {
  const scope = [`src/${entry.name}.ts`, `src/${entry.name}.test.ts`];
  return {
    key: `module-${entry.name}`,
    title: `Implement ${entry.name}`,
    description: `[[module:${entry.name}]] Implement \`${entry.name}\` in src/${entry.name}.ts (${entry.summary}) with tests in src/${entry.name}.test.ts${sharedIndex ? ", and export it from src/index.ts" : ""}.`,
    acceptance: [`src/${entry.name}.test.ts passes`, `${entry.name} is exported from src/index.ts`],
    scope,
    dependsOn: [] as string[],
    priority: 50,
    size: "s",
    composite: false,
  };
}

/** The two tasks of the last batch: export every module from src/index.ts, list them in the README. */
function closingTasks(modules: readonly SampleModule[]) {
  return [
    {
      key: barrelKey,
      title: "Export every module from src/index.ts",
      description: `[[module:${barrelKey}]] Make src/index.ts export every module of the library.`,
      acceptance: ["every module is exported from src/index.ts"],
      scope: ["src/index.ts"],
      dependsOn: modules.map((entry) => `module-${entry.name}`),
      priority: 20,
      size: "xs",
      composite: false,
    },
    {
      key: readmeKey,
      title: "List every module in README.md",
      description: "[[module:readme]] Add a Modules section to README.md naming every module of the library.",
      acceptance: ["README.md lists every module"],
      scope: ["README.md"],
      dependsOn: [],
      priority: 10,
      size: "xs",
      composite: false,
    },
  ];
}

/**
 * The replan answer: failed tasks are retried once, then cancelled; the plan is complete when
 * nothing is open or being retried and nothing had to be cancelled.
 */
function replan(request: FakeRequest, retried: Set<string>): FakeReply {
  const text = request.lastUserText();
  const failed = [...text.matchAll(/\b(t\d{4,}) \[failed\]/g)].map((match) => match[1]!);
  const retry = failed.filter((id) => !retried.has(id));
  for (const id of retry) retried.add(id);
  const open = /\[(pending|ready|running|review|merging)\]/.test(text) || retry.length > 0;
  const cancel = failed
    .filter((id) => !retry.includes(id))
    .map((id) => ({ id, reason: "failed twice; dropped" }));
  return json({
    scratchpad: "every module planned",
    add: [],
    amend: [],
    cancel,
    retry,
    split: [],
    complete: !open && cancel.length === 0,
    completenessCheck: "each module of SPEC.md has a task that landed",
  });
}

/**
 * The planner of the swarm policy: one task per module in batches of `batchSize` (the last batch
 * adds the barrel and README tasks), replans that retry each failed task once, and no splits.
 */
export function swarmPlanner(run: SwarmRun): (request: FakeRequest) => FakeReply {
  const { scenario, stats } = run;
  const batchSize = scenario.batchSize ?? 15;
  const batches: SampleModule[][] = [];
  for (let index = 0; index < scenario.modules.length; index += batchSize) {
    batches.push(scenario.modules.slice(index, index + batchSize));
  }
  const retried = new Set<string>();

  const planBatch = (request: FakeRequest): FakeReply => {
    const batch = Number(/# Batch (\d+)/.exec(request.lastUserText())?.[1] ?? "1");
    const modules = batches[batch - 1] ?? [];
    const tasks = modules.map((entry) => moduleTask(entry, run.sharesIndex(entry.name)));
    const last = batch >= batches.length;
    if (last) tasks.push(...closingTasks(scenario.modules));
    return json({
      scratchpad: `batch ${batch} of ${batches.length}`,
      phase: batch === 1 ? "foundation" : "build-out",
      tasks,
      more: !last,
    });
  };

  return (request) => {
    stats.planner += 1;
    switch (schemaName(request)) {
      case "replan":
        return replan(request, retried);
      case "split":
        return json({ tasks: [] });
      default:
        return planBatch(request);
    }
  };
}
