import type { FakeMessage, FakeReply, FakeRequest, FakeToolCall, PolicyObject } from "@longshot/testkit";

/** A line parser, written twice by the "env" task: the duplication the critic must find. */
const parser = (name: string): string =>
  [
    `export function ${name}(text: string): Record<string, string> {`,
    "  const result: Record<string, string> = {};",
    '  for (const line of text.split("\\n")) {',
    '    const index = line.indexOf("=");',
    "    if (index < 0) continue;",
    "    const key = line.slice(0, index).trim();",
    "    const value = line.slice(index + 1).trim();",
    '    if (key === "" || key.startsWith("#")) continue;',
    "    result[key] = value;",
    "  }",
    "  return result;",
    "}",
    "",
  ].join("\n");

const envTask = {
  key: "env-parsers",
  title: "Parse env and ini text",
  description: "[[env]] Add src/env.ts and src/ini.ts, each parsing key=value lines.",
  acceptance: ["both modules load"],
  scope: ["src/env.ts", "src/ini.ts"],
  dependsOn: [] as string[],
  priority: 95,
  size: "xs",
  composite: false,
};

/** What the critic double did, for assertions. */
export interface CriticStats {
  /** Critic conversations started, by the critic's kind. */
  readonly critics: Map<string, number>;
  /** Attempts in which the critic wrote a file (must be rejected). */
  hostileWrites: number;
  /** Models the critic requests asked for. */
  readonly criticModels: Set<string>;
}

/**
 * Wraps the swarm: the planner's first batch also holds a task that writes the same parser into
 * two files; critics report findings (the first duplication critic also writes a file, which must
 * be rejected); tasks planned from findings are done for real (a shared module, a test).
 */
export function criticPolicy(swarm: PolicyObject): PolicyObject & { readonly criticStats: CriticStats } {
  const criticStats: CriticStats = { critics: new Map(), hostileWrites: 0, criticModels: new Set() };
  let hostile = true;
  return {
    criticStats,
    async reply(request: FakeRequest): Promise<FakeReply> {
      if (request.role === "planner" || request.role === "subplanner" || request.role === "judge") {
        const reply = await swarm.reply(request);
        return request.role === "planner" && /# Batch 1\b/.test(request.lastUserText()) ? withEnvTask(reply) : reply;
      }
      const first = request.messages.find((message) => message.role === "user")?.content ?? "";
      const turn = request.messages.filter((message) => message.role === "assistant").length;
      const critic = /\[\[critic:([a-z]+)\]\]/.exec(first)?.[1];
      if (critic !== undefined) {
        criticStats.criticModels.add(request.model);
        if (turn === 0) criticStats.critics.set(critic, (criticStats.critics.get(critic) ?? 0) + 1);
        return criticTurn(critic, turn, first);
      }
      if (first.includes("[[env]]")) return envTurn(turn);
      if (first.includes("Found by the duplication critic")) return sharedParserTurn(turn);
      if (first.includes("Found by the coverage critic")) return envTestTurn(turn);
      return swarm.reply(request);
    },
  };

  function criticTurn(kind: string, turn: number, prompt: string): FakeReply {
    if (kind === "duplication" && hostile && turn === 0) {
      criticStats.hostileWrites += 1;
      return calls([{ name: "write_file", arguments: { path: "src/parse-env.ts", content: "// a critic edit\n" } }]);
    }
    if (kind === "duplication" && hostile) hostile = false;
    if (kind === "duplication") {
      const found = prompt.includes("src/env.ts") && prompt.includes("src/ini.ts");
      return finish(
        found
          ? [
              JSON.stringify({
                title: "Extract the shared key=value parser",
                severity: 80,
                scope: ["src/env.ts", "src/ini.ts", "src/parse-lines.ts"],
                description: "src/env.ts and src/ini.ts hold the same parser; move it to src/parse-lines.ts.",
              }),
              JSON.stringify({ title: "Shorten variable names", severity: 10, scope: ["src/env.ts"], description: "cosmetic" }),
            ]
          : [],
      );
    }
    return finish([
      JSON.stringify({
        title: "Test the key=value parsers",
        severity: 60,
        scope: ["src/env.test.ts"],
        description: "The parsers have no test.",
      }),
      JSON.stringify({ title: "Test clamp with NaN", severity: 20, scope: ["src/clamp.test.ts"], description: "edge case" }),
    ]);
  }
}

function withEnvTask(reply: FakeReply): FakeReply {
  if (!("text" in reply) || typeof reply.text !== "string") return reply;
  const batch = JSON.parse(reply.text) as { tasks: unknown[] };
  batch.tasks.unshift(envTask);
  return { text: JSON.stringify(batch) };
}

function envTurn(turn: number): FakeReply {
  if (turn === 0) {
    return calls([
      { name: "write_file", arguments: { path: "src/env.ts", content: parser("parseEnv") } },
      { name: "write_file", arguments: { path: "src/ini.ts", content: parser("parseEnv").replace("parseEnv", "parseIni") } },
    ]);
  }
  return finish([], "Added both parsers.", ["src/env.ts", "src/ini.ts"]);
}

function sharedParserTurn(turn: number): FakeReply {
  if (turn === 0) {
    return calls([
      { name: "write_file", arguments: { path: "src/parse-lines.ts", content: parser("parseLines") } },
      {
        name: "write_file",
        arguments: { path: "src/env.ts", content: 'export { parseLines as parseEnv } from "./parse-lines.ts";\n' },
      },
      {
        name: "write_file",
        arguments: { path: "src/ini.ts", content: 'export { parseLines as parseIni } from "./parse-lines.ts";\n' },
      },
    ]);
  }
  return finish([], "Moved the parser to src/parse-lines.ts.", ["src/parse-lines.ts", "src/env.ts", "src/ini.ts"]);
}

function envTestTurn(turn: number): FakeReply {
  if (turn === 0) {
    const test = [
      'import assert from "node:assert/strict";',
      'import { test } from "node:test";',
      'import { parseEnv } from "./env.ts";',
      "",
      'test("parseEnv", () => {',
      '  assert.deepEqual(parseEnv("a=1\\n# c=3\\nbad\\n b = 2 "), { a: "1", b: "2" });',
      "});",
      "",
    ].join("\n");
    return calls([{ name: "write_file", arguments: { path: "src/env.test.ts", content: test } }]);
  }
  return finish([], "Tested parseEnv.", ["src/env.test.ts"]);
}

function calls(toolCalls: readonly FakeToolCall[]): FakeReply {
  return { toolCalls };
}

function finish(suggestions: readonly string[], summary = "Reviewed what landed.", filesChanged: readonly string[] = []): FakeReply {
  return {
    toolCalls: [
      {
        name: "finish",
        arguments: { status: "complete", summary, filesChanged: [...filesChanged], concerns: [], suggestions: [...suggestions] },
      },
    ],
  };
}

/** Every message of a conversation as one text (for debugging a failing run). */
export function conversationText(messages: readonly FakeMessage[]): string {
  return messages.map((message) => `${message.role}: ${message.content}`).join("\n");
}
