import type { PolicyObject } from "../fake-policy.js";
import type { FakeReply } from "../fake-reply.js";
import type { FakeRequest } from "../fake-request.js";
import { resolutionAnswer } from "./resolution-answer.js";
import { swarmPlanner } from "./swarm-planner.js";
import {
  firstUser,
  json,
  moduleMarker,
  type SwarmRun,
  type SwarmScenario,
  type SwarmStats,
  schemaName,
} from "./swarm-scenario.js";
import { swarmWorker } from "./swarm-worker.js";

export type { SwarmScenario, SwarmStats } from "./swarm-scenario.js";

/** The judge of the swarm policy: rejects each of the scenario's `rejectModules` once, accepts the rest. */
function swarmJudge(run: SwarmRun): (request: FakeRequest) => FakeReply {
  const rejectOnce = new Set(run.scenario.rejectModules ?? []);
  return (request) => {
    run.stats.judge += 1;
    const text = request.messages.map((message) => message.content).join("\n");
    const name = moduleMarker.exec(text)?.[1];
    if (name && rejectOnce.has(name)) {
      rejectOnce.delete(name);
      run.stats.rejections += 1;
      return json({
        accepted: false,
        feedback: `The tests for ${name} do not cover the edge cases; add one for empty input.`,
      });
    }
    return json({ accepted: true, feedback: "meets the acceptance criteria" });
  };
}

/** Answers conflict-resolution requests, every `carelessResolutionEvery`-th one carelessly. */
function swarmResolver(run: SwarmRun): (request: FakeRequest) => FakeReply {
  const carelessEvery = run.scenario.carelessResolutionEvery ?? 0;
  return (request) => {
    run.stats.resolutions += 1;
    const careless = carelessEvery > 0 && run.stats.resolutions % carelessEvery === 0;
    if (careless) run.stats.carelessResolutions += 1;
    return json(resolutionAnswer(firstUser(request.messages), careless));
  };
}

/**
 * A policy that plays planner, worker and judge for a run on the sample library: the planner
 * proposes one task per module in batches, workers read and write real files through tool
 * calls, and the judge reviews. Scripted troubles (a build break, a rejection, conflicts in a
 * shared index) make the merge queue and the reconciler do real work.
 */
export function swarmPolicy(scenario: SwarmScenario): PolicyObject & { readonly stats: SwarmStats } {
  const every = scenario.sharedIndexEvery ?? 4;
  const stats: SwarmStats = {
    planner: 0,
    worker: 0,
    judge: 0,
    rejections: 0,
    fixes: 0,
    resolutions: 0,
    carelessResolutions: 0,
    modelsByModule: new Map(),
  };
  const run: SwarmRun = {
    scenario,
    stats,
    sharesIndex: (name) =>
      every > 0 && scenario.modules.findIndex((entry) => entry.name === name) % every === 0,
  };
  const resolve = swarmResolver(run);
  const planner = swarmPlanner(run);
  const judge = swarmJudge(run);
  const worker = swarmWorker(run);
  return {
    stats,
    reply(request: FakeRequest): FakeReply {
      if (schemaName(request) === "conflict_resolution") return resolve(request);
      switch (request.role) {
        case "planner":
        case "subplanner":
          return planner(request);
        case "judge":
          return judge(request);
        default:
          return worker(request);
      }
    },
  };
}
