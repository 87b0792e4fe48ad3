import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { clientOf, serverPerTest } from "./__fixtures__/server-per-test.js";
import { byRole } from "./by-role.js";
import type { FakeLlmServer } from "./fake-llm-server.js";
import type { FakePolicy } from "./fake-policy.js";
import { ScriptedPolicy } from "./scripted-policy.js";

const startServer = serverPerTest();

async function start(policy: FakePolicy): Promise<{ client: OpenAI; server: FakeLlmServer }> {
  const server = await startServer({ policy });
  return { client: clientOf(server), server };
}

async function ask(client: OpenAI, role?: string): Promise<string | null | undefined> {
  const completion = await client.chat.completions.create(
    { model: "m", messages: [{ role: "user", content: "hi" }] },
    role === undefined ? {} : { headers: { "x-longshot-role": role } },
  );
  return completion.choices[0]?.message.content;
}

describe("byRole", () => {
  it("routes requests by the x-longshot-role header", async () => {
    const { client, server } = await start(
      byRole({
        planner: () => ({ text: "from planner" }),
        worker: new ScriptedPolicy([{ text: "from worker" }]),
      }),
    );
    expect(await ask(client, "worker")).toBe("from worker");
    expect(await ask(client, "planner")).toBe("from planner");
    expect(await ask(client, "planner")).toBe("from planner");
    expect(server.requests.map((request) => request.role)).toEqual(["worker", "planner", "planner"]);
    server.assertDone();
  });

  it("fails loudly on a role it does not know", async () => {
    const { client, server } = await start(byRole({ planner: () => ({ text: "plan" }) }));
    await expect(ask(client, "judge")).rejects.toMatchObject({ status: 500 });
    await expect(ask(client)).rejects.toMatchObject({ status: 500 });
    expect(server.failures).toEqual([
      'Unexpected call: request #0 has role "judge"; byRole knows planner.',
      "Unexpected call: request #1 has no x-longshot-role header; byRole knows planner.",
    ]);
  });

  it("sends unknown roles to the fallback when one is given", async () => {
    const { client } = await start(
      byRole({ planner: () => ({ text: "plan" }) }, () => ({ text: "fallback" })),
    );
    expect(await ask(client)).toBe("fallback");
  });

  it("reports unused steps of any routed script", async () => {
    const { client, server } = await start(
      byRole({ planner: new ScriptedPolicy([{ text: "a" }]), worker: new ScriptedPolicy([{ text: "b" }]) }),
    );
    await ask(client, "planner");
    expect(() => server.assertDone()).toThrow(/Unused script step: step 1/);
  });
});
