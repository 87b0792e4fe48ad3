import { type FakeLlmServer, ScriptedPolicy, startFakeLlm } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { EndpointPool } from "./endpoint-pool.js";
import { parseReply } from "./generate-object.js";
import { ModelClient, oneModelForEveryRole } from "./model-client.js";

const Plan = z.object({
  tasks: z.array(z.object({ title: z.string().min(1), size: z.enum(["s", "m", "l"]) })).min(1),
});
const role = "planner";
const options = { role, runId: "r1", signal: new AbortController().signal, schemaName: "plan" } as const;
const request = { messages: [{ role: "user" as const, content: "Plan the work." }] };

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
});

/** Asks for a Plan from a model that answers with `replies`, one per call. */
async function planFrom(replies: ConstructorParameters<typeof ScriptedPolicy>[0]) {
  server = await startFakeLlm({ policy: new ScriptedPolicy(replies) });
  const pool = new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: "", weight: 1 }]);
  const model = new ModelClient({ pool, models: oneModelForEveryRole("fake-model") });
  return model.generateObject(Plan, request, options);
}

describe("generateObject", () => {
  it("returns a typed value and sends the schema as response_format and in the prompt", async () => {
    const result = await planFrom([{ text: '{"tasks":[{"title":"Add parser","size":"s"}]}' }]);
    expect(result).toMatchObject({
      ok: true,
      repaired: false,
      value: { tasks: [{ title: "Add parser", size: "s" }] },
    });
    const sent = server?.requests[0];
    expect(sent?.body).toMatchObject({
      response_format: { type: "json_schema", json_schema: { name: "plan", schema: { type: "object" } } },
    });
    expect(sent?.messages[0]?.role).toBe("system");
    expect(sent?.messages[0]?.content).toContain('"tasks"');
    server?.assertDone();
  });

  it("repairs an invalid reply once, showing the model what was wrong", async () => {
    const result = await planFrom([
      { text: '{"tasks":[{"title":"","size":"xl"}]}' },
      { text: '```json\n{"tasks":[{"title":"Add parser","size":"m"}]}\n```' },
    ]);
    expect(result).toMatchObject({
      ok: true,
      repaired: true,
      value: { tasks: [{ title: "Add parser", size: "m" }] },
    });
    const repair = server?.requests[1];
    expect(repair?.messages.at(-2)).toMatchObject({
      role: "assistant",
      content: '{"tasks":[{"title":"","size":"xl"}]}',
    });
    expect(repair?.lastUserText()).toMatch(/not valid.*tasks/s);
    expect(repair?.lastUserText()).toMatch(/size/);
    server?.assertDone();
  });

  it("reports a typed failure when the repair round is invalid too", async () => {
    const result = await planFrom([
      { text: "Sure! Here is the plan: first, parse." },
      { text: '{"tasks": [' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok || result.kind !== "invalid-output") throw new Error("expected invalid output");
    expect(result.error).toMatch(/not valid JSON/);
    expect(result.output).toBe('{"tasks": [');
    expect(result.completions).toHaveLength(2);
    expect(server?.requests[1]?.lastUserText()).toMatch(/not valid JSON/);
    server?.assertDone();
  });
});

describe("parseReply", () => {
  it("names the fields that break the schema", () => {
    const parsed = parseReply(Plan, '{"tasks":[{"title":"x","size":"huge"}]}');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/tasks\[0\]\.size|tasks.0.size|size/);
  });

  it("treats an empty reply as invalid", () => {
    expect(parseReply(Plan, "  ")).toEqual({
      ok: false,
      error: "the reply was empty; expected a JSON value",
    });
  });
});
