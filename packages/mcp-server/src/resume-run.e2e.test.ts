import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  call,
  dataOf,
  type RunData,
  scenarioPerTest,
  stdioPerTest,
  textOf,
  untilPlanned,
  waitUntilEnded,
} from "./__fixtures__/mcp-scenario.js";

const openScenario = scenarioPerTest();
const connect = stdioPerTest();

describe("resume_run", () => {
  it("resumes, in a new server process, a run whose server was killed", async () => {
    const scenario = await openScenario({ modules: 2 });
    const first = await connect(scenario);
    const started = dataOf(
      await call(first.client, "start_run", { request: "Build per SPEC.md", options: { paused: true } }),
    ) as unknown as RunData;
    const runId = started.runId;
    const total = scenario.modules.length + 2;
    await untilPlanned(first, runId, total);
    await first.kill();
    // The dead process's lock is still there; the next server takes it over.
    expect(existsSync(join(scenario.repo, ".git", "longshot", "run.lock"))).toBe(true);

    const second = await connect(scenario);
    const before = dataOf(await call(second.client, "get_run", { runId })) as unknown as RunData;
    expect(before).toMatchObject({ status: "paused", live: false });
    const cancel = await call(second.client, "cancel_task", { runId, taskId: "t0001" });
    expect(cancel.isError).toBe(true);
    expect(textOf(cancel)).toBe(
      `Run ${runId} is not live in this server process (status paused), so it cannot cancel a task; call resume_run to continue it here first.`,
    );

    const resumed = await call(second.client, "resume_run", { runId });
    expect(textOf(resumed)).toContain(`Resumed run ${runId} in this server.`);
    expect(dataOf(resumed)).toMatchObject({ live: true, status: "running" });
    const ended = await waitUntilEnded(second, runId);
    expect(ended).toMatchObject({ status: "green", progress: { total, landed: total } });
    scenario.server.assertDone();

    const again = await call(second.client, "resume_run", { runId });
    expect(textOf(again)).toBe(
      `Run ${runId} ended green, so there is nothing to resume; call start_run for a new run.`,
    );
  });

  it("refuses a second run in a repository while one is live, and continues a stopped one", async () => {
    const scenario = await openScenario({ modules: 1 });
    const session = await connect(scenario);
    const { client } = session;
    const runId = (
      dataOf(
        await call(client, "start_run", { request: "Build per SPEC.md", options: { paused: true } }),
      ) as unknown as RunData
    ).runId;
    const second = await call(client, "start_run", { request: "Build something else" });
    expect(second.isError).toBe(true);
    expect(textOf(second)).toBe(
      `Run ${runId} is already live in ${scenario.repo}, and a repository runs one run at a time; stop_run it or wait_run for it first.`,
    );

    expect(textOf(await call(client, "stop_run", { runId, reason: "trying it later" }))).toContain(
      `Stopping run ${runId}`,
    );
    const stopped = await waitUntilEnded(session, runId);
    expect(stopped.status).toBe("stopped");
    const pause = await call(client, "pause_run", { runId });
    expect(textOf(pause)).toBe(
      `Run ${runId} has ended (stopped), so it cannot be paused; call resume_run to continue it here first.`,
    );

    expect(textOf(await call(client, "resume_run", { runId }))).toContain(`Resumed run ${runId}`);
    const ended = await waitUntilEnded(session, runId);
    expect(ended.status).toBe("green");
    const log = await client.readResource({ uri: `longshot://runs/${runId}/events` });
    const types = (log.contents[0] as { text: string }).text
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types.filter((type) => type === "run-end")).toHaveLength(2);
    expect(types).toContain("run-resume");
  });
});
