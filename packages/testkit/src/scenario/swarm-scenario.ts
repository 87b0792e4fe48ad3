import type { FakeReply } from "../fake-reply.js";
import type { FakeMessage, FakeRequest } from "../fake-request.js";
import type { SampleModule } from "./sample-library.js";

/** How the simulated model plays a whole run on the sample library. */
export interface SwarmScenario {
  readonly modules: readonly SampleModule[];
  /** Module tasks per planner batch; the first batch also holds the foundation task. */
  readonly batchSize?: number;
  /** Modules whose first landed version breaks the build (a fix task must repair them). */
  readonly breakModules?: readonly string[];
  /** Modules whose first attempt the judge rejects (the retry runs on the alternate model). */
  readonly rejectModules?: readonly string[];
  /**
   * Every n-th module task also registers itself in src/index.ts (outside its declared scope),
   * so concurrent tasks conflict there now and then; 0 for never. A final task exports every
   * module from src/index.ts either way.
   */
  readonly sharedIndexEvery?: number;
  /** Workers run the module's own test file with the `run` tool before finishing. */
  readonly runTests?: boolean;
  /**
   * Turns a module task spends reading the repository (one small file a turn: the README, the
   * manifest, the build script, the index) before it writes, as a real agent explores; default 0.
   */
  readonly exploreTurns?: number;
  /**
   * Every n-th answer to a conflict-resolution request keeps both sides as they are (which
   * declares the registry twice, so the build fails and the task must run again); 0 for never.
   * The other answers merge both sides (see resolution-answer.ts).
   */
  readonly carelessResolutionEvery?: number;
}

/** What the policy saw, for assertions and the demo's summary. */
export interface SwarmStats {
  planner: number;
  worker: number;
  judge: number;
  rejections: number;
  fixes: number;
  /** Conflict-resolution requests answered, and how many of them carelessly. */
  resolutions: number;
  carelessResolutions: number;
  readonly modelsByModule: Map<string, string[]>;
}

/** What the roles of the swarm policy share: the scenario, the counters and who edits the shared index. */
export interface SwarmRun {
  readonly scenario: SwarmScenario;
  readonly stats: SwarmStats;
  /** Whether the module's task also registers it in src/index.ts. */
  sharesIndex(name: string): boolean;
}

/** Marks a task's description with the module it is about: `[[module:name]]`. */
export const moduleMarker = /\[\[module:([A-Za-z0-9_-]+)\]\]/;
/** The module key of the README task. */
export const readmeKey = "readme";
/** The module key of the task that exports every module from src/index.ts. */
export const barrelKey = "barrel";

/** Which structured answer a request asks for, by its response format or its system prompt. */
export function schemaName(request: FakeRequest): string {
  const body = request.body as { response_format?: { json_schema?: { name?: string } } } | null;
  const named = body?.response_format?.json_schema?.name;
  if (named) return named;
  const system = request.messages.find((message) => message.role === "system")?.content ?? "";
  if (/merge conflict/i.test(system) && /hunk/i.test(system)) return "conflict_resolution";
  if (/review/i.test(system) && /verdict|accept/i.test(system)) return "verdict";
  if (/replan/i.test(system)) return "replan";
  if (/split/i.test(system)) return "split";
  return "plan_batch";
}

/** A reply whose text is `value` as JSON. */
export function json(value: unknown): FakeReply {
  return { text: JSON.stringify(value) };
}

/** The first user message of a conversation: the task's prompt. */
export function firstUser(messages: readonly FakeMessage[]): string {
  return messages.find((message) => message.role === "user")?.content ?? "";
}
