import type { FakeReply, FakeToolCall } from "../fake-reply.js";
import type { FakeMessage, FakeRequest } from "../fake-request.js";
import { brokenSource, type SampleModule } from "./sample-library.js";
import { indexHeader } from "./sample-repo.js";
import { barrelKey, firstUser, moduleMarker, readmeKey, type SwarmRun } from "./swarm-scenario.js";

/**
 * The workers of the swarm policy: module tasks write their module and its test (breaking the
 * scenario's broken modules the first time, registering in src/index.ts when they share it, and
 * running their test when asked), the barrel and README tasks write those files, and fix tasks
 * restore the module the failure names.
 */
export function swarmWorker(run: SwarmRun): (request: FakeRequest) => FakeReply {
  const { scenario, stats } = run;
  const byName = new Map(scenario.modules.map((entry) => [entry.name, entry]));
  const broken = new Set(scenario.breakModules ?? []);
  return (request) => {
    stats.worker += 1;
    const conversation = request.messages;
    const prompt = conversation
      .filter((message) => message.role !== "tool")
      .map((message) => message.content)
      .join("\n");
    const turn = conversation.filter((message) => message.role === "assistant").length;
    const fix =
      /fix|failing|broke/i.test(firstUser(conversation)) && !moduleMarker.test(firstUser(conversation));
    if (fix) return fixTurn(run, byName, prompt, turn);
    const name = moduleMarker.exec(prompt)?.[1];
    if (name === readmeKey) return readmeTurn(scenario.modules, turn);
    if (name === barrelKey) return barrelTurn(scenario.modules, turn, conversation);
    const entry = name ? byName.get(name) : undefined;
    if (!entry) return finish("failed", "the task names no module of the sample library", []);
    const models = stats.modelsByModule.get(entry.name) ?? [];
    if (turn === 0) stats.modelsByModule.set(entry.name, [...models, request.model]);
    const explore = scenario.exploreTurns ?? 0;
    if (turn < explore) {
      return calls([{ name: "read_file", arguments: { path: explored[turn % explored.length]! } }]);
    }
    return moduleTurn(run, { entry, broken }, turn - explore, conversation);
  };
}

/** The small files of the sample repository a module task reads while it explores, in turn. */
const explored = ["README.md", "package.json", "scripts/build.mjs", "src/index.ts"] as const;

function barrelTurn(
  modules: readonly SampleModule[],
  turn: number,
  conversation: readonly FakeMessage[],
): FakeReply {
  if (turn === 0) return calls([{ name: "read_file", arguments: { path: "src/index.ts" } }]);
  if (turn === 1) {
    const current = lastToolOutput(conversation, "read_file") ?? indexHeader;
    let content = current === "(empty)" ? indexHeader : current;
    for (const entry of modules) {
      const line = `export { ${entry.name} } from "./${entry.name}.ts";\n`;
      if (!content.includes(line)) content = `${content.endsWith("\n") ? content : `${content}\n`}${line}`;
    }
    return calls([{ name: "write_file", arguments: { path: "src/index.ts", content } }]);
  }
  return finish("complete", "src/index.ts exports every module.", ["src/index.ts"]);
}

/**
 * src/index.ts as read (`current`) with `name` added to the one-line registry and exported:
 * registering changes a line other modules change too, a real conflict.
 */
function registerInIndex(current: string, name: string): string {
  const base = current === "(empty)" ? "" : current;
  const line = `export { ${name} } from "./${name}.ts";\n`;
  const registered = base.replace(
    /^export const registry: readonly string\[\] = \[(.*)\];$/m,
    (_match, list: string) => {
      const names = list
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
      if (!names.includes(`"${name}"`)) names.push(`"${name}"`);
      return `export const registry: readonly string[] = [${names.join(", ")}];`;
    },
  );
  return registered.includes(line)
    ? registered
    : `${registered.endsWith("\n") || registered === "" ? registered : `${registered}\n`}${line}`;
}

function moduleTurn(
  run: SwarmRun,
  task: { readonly entry: SampleModule; readonly broken: Set<string> },
  turn: number,
  conversation: readonly FakeMessage[],
): FakeReply {
  const { entry, broken } = task;
  const files = [`src/${entry.name}.ts`, `src/${entry.name}.test.ts`];
  const sharedIndex = run.sharesIndex(entry.name);
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
      const content = registerInIndex(current, entry.name);
      toolCalls.push({ name: "write_file", arguments: { path: "src/index.ts", content } });
      files.push("src/index.ts");
    }
    return calls(toolCalls);
  }
  const afterWrites = sharedIndex ? 2 : 1;
  if (run.scenario.runTests && turn === afterWrites) {
    return calls([{ name: "run", arguments: { command: `node --test src/${entry.name}.test.ts` } }]);
  }
  return finish("complete", `Implemented ${entry.name} with tests.`, files);
}

function readmeTurn(modules: readonly SampleModule[], turn: number): FakeReply {
  if (turn === 0) {
    const content = [
      "# sample-utils",
      "",
      "A small TypeScript utility library.",
      "",
      "## Modules",
      "",
      ...modules.map((entry) => `- \`${entry.name}\`: ${entry.summary}`),
      "",
    ].join("\n");
    return calls([{ name: "write_file", arguments: { path: "README.md", content } }]);
  }
  return finish("complete", "README lists every module.", ["README.md"]);
}

function fixTurn(
  run: SwarmRun,
  byName: ReadonlyMap<string, SampleModule>,
  prompt: string,
  turn: number,
): FakeReply {
  const names = [...prompt.matchAll(/src\/([A-Za-z0-9_-]+)\.ts/g)]
    .map((match) => match[1]!)
    .filter((name) => byName.has(name));
  const entry = names.map((name) => byName.get(name)!).find(Boolean);
  if (!entry) return finish("blocked", "the failure names no module I can repair", []);
  if (turn === 0) {
    run.stats.fixes += 1;
    return calls([
      { name: "write_file", arguments: { path: `src/${entry.name}.ts`, content: entry.source } },
    ]);
  }
  return finish("complete", `Repaired src/${entry.name}.ts, which did not load.`, [`src/${entry.name}.ts`]);
}

function lastToolOutput(messages: readonly FakeMessage[], tool: string): string | undefined {
  const ids = new Set<string>();
  for (const message of messages) {
    for (const call of message.toolCalls ?? []) if (call.name === tool) ids.add(call.id);
  }
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role === "tool" && message.toolCallId !== undefined && ids.has(message.toolCallId))
      return earlierResult(messages, message.content);
  }
  return undefined;
}

/**
 * The agent answers a repeated read with a pointer to the earlier, identical result ("Unchanged:
 * your earlier read_file call <id> … use it from there"): follow it, as a model reads back up the
 * conversation.
 */
function earlierResult(messages: readonly FakeMessage[], content: string): string {
  const pointer = /^Unchanged: your earlier \S+ call (\S+),/.exec(content);
  if (pointer === null) return content;
  const earlier = messages.find((message) => message.role === "tool" && message.toolCallId === pointer[1]);
  return earlier === undefined ? content : earlierResult(messages, earlier.content);
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
