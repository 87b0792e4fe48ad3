import type { PolicyObject } from "../fake-policy.js";
import type { FakeReply, FakeToolCall } from "../fake-reply.js";
import type { FakeMessage, FakeRequest } from "../fake-request.js";
import { resolutionAnswer } from "./resolution-answer.js";
import { brokenSource, type SampleModule } from "./sample-library.js";
import { indexHeader } from "./sample-repo.js";

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

const marker = /\[\[module:([A-Za-z0-9_-]+)\]\]/;
const readmeKey = "readme";
const barrelKey = "barrel";

function schemaName(request: FakeRequest): string {
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

function json(value: unknown): FakeReply {
  return { text: JSON.stringify(value) };
}

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

/**
 * A policy that plays planner, worker and judge for a run on the sample library: the planner
 * proposes one task per module in batches, workers read and write real files through tool
 * calls, and the judge reviews. Scripted troubles (a build break, a rejection, conflicts in a
 * shared index) make the merge queue and the reconciler do real work.
 */
export function swarmPolicy(scenario: SwarmScenario): PolicyObject & { readonly stats: SwarmStats } {
  const batchSize = scenario.batchSize ?? 15;
  const every = scenario.sharedIndexEvery ?? 4;
  const sharesIndex = (name: string): boolean =>
    every > 0 && scenario.modules.findIndex((entry) => entry.name === name) % every === 0;
  const byName = new Map(scenario.modules.map((entry) => [entry.name, entry]));
  const broken = new Set(scenario.breakModules ?? []);
  const rejectOnce = new Set(scenario.rejectModules ?? []);
  const batches: SampleModule[][] = [];
  for (let index = 0; index < scenario.modules.length; index += batchSize) {
    batches.push(scenario.modules.slice(index, index + batchSize));
  }
  const retried = new Set<string>();
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
  const carelessEvery = scenario.carelessResolutionEvery ?? 0;

  const resolve = (request: FakeRequest): FakeReply => {
    stats.resolutions += 1;
    const careless = carelessEvery > 0 && stats.resolutions % carelessEvery === 0;
    if (careless) stats.carelessResolutions += 1;
    return json(resolutionAnswer(firstUser(request.messages), careless));
  };

  const planBatch = (request: FakeRequest): FakeReply => {
    const batch = Number(/# Batch (\d+)/.exec(request.lastUserText())?.[1] ?? "1");
    const modules = batches[batch - 1] ?? [];
    const tasks = modules.map((entry) => moduleTask(entry, sharesIndex(entry.name)));
    const last = batch >= batches.length;
    if (last) {
      tasks.push({
        key: barrelKey,
        title: "Export every module from src/index.ts",
        description: `[[module:${barrelKey}]] Make src/index.ts export every module of the library.`,
        acceptance: ["every module is exported from src/index.ts"],
        scope: ["src/index.ts"],
        dependsOn: scenario.modules.map((entry) => `module-${entry.name}`),
        priority: 20,
        size: "xs",
        composite: false,
      });
      tasks.push({
        key: readmeKey,
        title: "List every module in README.md",
        description:
          "[[module:readme]] Add a Modules section to README.md naming every module of the library.",
        acceptance: ["README.md lists every module"],
        scope: ["README.md"],
        dependsOn: [],
        priority: 10,
        size: "xs",
        composite: false,
      });
    }
    return json({
      scratchpad: `batch ${batch} of ${batches.length}`,
      phase: batch === 1 ? "foundation" : "build-out",
      tasks,
      more: !last,
    });
  };

  const planner = (request: FakeRequest): FakeReply => {
    stats.planner += 1;
    switch (schemaName(request)) {
      case "replan": {
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
      case "split":
        return json({ tasks: [] });
      default:
        return planBatch(request);
    }
  };

  const judge = (request: FakeRequest): FakeReply => {
    stats.judge += 1;
    const text = request.messages.map((message) => message.content).join("\n");
    const name = marker.exec(text)?.[1];
    if (name && rejectOnce.has(name)) {
      rejectOnce.delete(name);
      stats.rejections += 1;
      return json({
        accepted: false,
        feedback: `The tests for ${name} do not cover the edge cases; add one for empty input.`,
      });
    }
    return json({ accepted: true, feedback: "meets the acceptance criteria" });
  };

  const worker = (request: FakeRequest): FakeReply => {
    stats.worker += 1;
    const conversation = request.messages;
    const prompt = conversation
      .filter((message) => message.role !== "tool")
      .map((message) => message.content)
      .join("\n");
    const turn = conversation.filter((message) => message.role === "assistant").length;
    const fix = /fix|failing|broke/i.test(firstUser(conversation)) && !marker.test(firstUser(conversation));
    if (fix) return fixTurn(prompt, turn);
    const name = marker.exec(prompt)?.[1];
    if (name === readmeKey) return readmeTurn(turn);
    if (name === barrelKey) return barrelTurn(turn, conversation);
    const entry = name ? byName.get(name) : undefined;
    if (!entry) return finish("failed", "the task names no module of the sample library", []);
    const models = stats.modelsByModule.get(entry.name) ?? [];
    if (turn === 0) stats.modelsByModule.set(entry.name, [...models, request.model]);
    return moduleTurn(entry, turn, conversation);
  };

  const barrelTurn = (turn: number, conversation: readonly FakeMessage[]): FakeReply => {
    if (turn === 0) return calls([{ name: "read_file", arguments: { path: "src/index.ts" } }]);
    if (turn === 1) {
      const current = lastToolOutput(conversation, "read_file") ?? indexHeader;
      let content = current === "(empty)" ? indexHeader : current;
      for (const entry of scenario.modules) {
        const line = `export { ${entry.name} } from "./${entry.name}.ts";\n`;
        if (!content.includes(line)) content = `${content.endsWith("\n") ? content : `${content}\n`}${line}`;
      }
      return calls([{ name: "write_file", arguments: { path: "src/index.ts", content } }]);
    }
    return finish("complete", "src/index.ts exports every module.", ["src/index.ts"]);
  };

  const moduleTurn = (entry: SampleModule, turn: number, conversation: readonly FakeMessage[]): FakeReply => {
    const files = [`src/${entry.name}.ts`, `src/${entry.name}.test.ts`];
    const sharedIndex = sharesIndex(entry.name);
    if (turn === 0 && sharedIndex) return calls([{ name: "read_file", arguments: { path: "src/index.ts" } }]);
    const writes = turn === 0 || (turn === 1 && sharedIndex);
    if (writes) {
      const source = broken.has(entry.name) ? brokenSource(entry) : entry.source;
      broken.delete(entry.name);
      const toolCalls: FakeToolCall[] = [
        { name: "write_file", arguments: { path: files[0]!, content: source } },
        { name: "write_file", arguments: { path: files[1]!, content: entry.test } },
      ];
      if (sharedIndex) {
        const current = lastToolOutput(conversation, "read_file") ?? indexHeader;
        const base = current === "(empty)" ? "" : current;
        const line = `export { ${entry.name} } from "./${entry.name}.ts";\n`;
        // Registering in the one-line registry changes a line others change too: a real conflict.
        const registered = base.replace(
          /^export const registry: readonly string\[\] = \[(.*)\];$/m,
          (_match, list: string) => {
            const names = list
              .split(",")
              .map((name) => name.trim())
              .filter(Boolean);
            if (!names.includes(`"${entry.name}"`)) names.push(`"${entry.name}"`);
            return `export const registry: readonly string[] = [${names.join(", ")}];`;
          },
        );
        const content = registered.includes(line)
          ? registered
          : `${registered.endsWith("\n") || registered === "" ? registered : `${registered}\n`}${line}`;
        toolCalls.push({ name: "write_file", arguments: { path: "src/index.ts", content } });
        files.push("src/index.ts");
      }
      return calls(toolCalls);
    }
    const afterWrites = sharedIndex ? 2 : 1;
    if (scenario.runTests && turn === afterWrites) {
      return calls([{ name: "run", arguments: { command: `node --test src/${entry.name}.test.ts` } }]);
    }
    return finish("complete", `Implemented ${entry.name} with tests.`, files);
  };

  const readmeTurn = (turn: number): FakeReply => {
    if (turn === 0) {
      const content = [
        "# sample-utils",
        "",
        "A small TypeScript utility library.",
        "",
        "## Modules",
        "",
        ...scenario.modules.map((entry) => `- \`${entry.name}\`: ${entry.summary}`),
        "",
      ].join("\n");
      return calls([{ name: "write_file", arguments: { path: "README.md", content } }]);
    }
    return finish("complete", "README lists every module.", ["README.md"]);
  };

  const fixTurn = (prompt: string, turn: number): FakeReply => {
    const names = [...prompt.matchAll(/src\/([A-Za-z0-9_-]+)\.ts/g)]
      .map((match) => match[1]!)
      .filter((name) => byName.has(name));
    const entry = names.map((name) => byName.get(name)!).find(Boolean);
    if (!entry) return finish("blocked", "the failure names no module I can repair", []);
    if (turn === 0) {
      stats.fixes += 1;
      return calls([
        { name: "write_file", arguments: { path: `src/${entry.name}.ts`, content: entry.source } },
      ]);
    }
    return finish("complete", `Repaired src/${entry.name}.ts, which did not load.`, [`src/${entry.name}.ts`]);
  };

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

function firstUser(messages: readonly FakeMessage[]): string {
  return messages.find((message) => message.role === "user")?.content ?? "";
}

function lastToolOutput(messages: readonly FakeMessage[], tool: string): string | undefined {
  const ids = new Set<string>();
  for (const message of messages) {
    for (const call of message.toolCalls ?? []) if (call.name === tool) ids.add(call.id);
  }
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role === "tool" && message.toolCallId !== undefined && ids.has(message.toolCallId))
      return message.content;
  }
  return undefined;
}

function calls(toolCalls: readonly FakeToolCall[]): FakeReply {
  return { toolCalls };
}

function finish(
  status: "complete" | "blocked" | "failed",
  summary: string,
  filesChanged: readonly string[],
): FakeReply {
  return {
    toolCalls: [
      {
        name: "finish",
        arguments: { status, summary, filesChanged: [...filesChanged], concerns: [], suggestions: [] },
      },
    ],
  };
}
