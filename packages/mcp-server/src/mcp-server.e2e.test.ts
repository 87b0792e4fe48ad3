import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "@longshot/core";
import { SqliteStore } from "@longshot/store";
import { LoggingMessageNotificationSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import {
  call,
  dataOf,
  type RunData,
  scenarioPerTest,
  stdioPerTest,
  type TaskRow,
  textOf,
  untilPlanned,
  waitUntilEnded,
} from "./__fixtures__/mcp-scenario.js";

const openScenario = scenarioPerTest();
const connect = stdioPerTest();

describe("longshot mcp over stdio, as a separate process", () => {
  it("starts a run paused, cancels a task, resumes it, follows it to green and serves its report", async () => {
    const scenario = await openScenario({ modules: 3 });
    const session = await connect(scenario);
    const { client } = session;
    const messages: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      const data = notification.params.data as { message?: string };
      messages.push(data.message ?? "");
    });

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      [
        "add_task",
        "cancel_task",
        "get_run",
        "get_task",
        "list_runs",
        "list_tasks",
        "pause_run",
        "resume_run",
        "set_max_workers",
        "start_run",
        "stop_run",
        "wait_run",
      ].sort(),
    );

    const started = dataOf(
      await call(client, "start_run", {
        request: "Build per SPEC.md",
        options: { workers: 2, paused: true },
      }),
    ) as unknown as RunData & { maxWorkers: number };
    const runId = started.runId;
    expect(started).toMatchObject({ status: "paused", live: true, maxWorkers: 2 });

    // Three modules, the barrel export and the README task.
    const planned = scenario.modules.length + 2;
    await untilPlanned(session, runId, planned);
    const listed = dataOf(await call(client, "list_tasks", { runId })) as { tasks: TaskRow[] };
    expect(listed.tasks).toHaveLength(planned);
    expect(listed.tasks.every((task) => task.state === "pending" || task.state === "ready")).toBe(true);
    const readme = listed.tasks.find((task) => task.title.includes("README"))!;
    const firstModule = listed.tasks.find((task) => task.title === `Implement ${scenario.modules[0]!.name}`)!;

    // Replace the planned README task with one of our own, after the first module.
    const cancelled = dataOf(await call(client, "cancel_task", { runId, taskId: readme.id }));
    expect(cancelled.state).toBe("cancelled");
    const again = await call(client, "cancel_task", { runId, taskId: readme.id });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toBe(
      `Task ${readme.id} is already cancelled; only tasks that have not landed, been cancelled or been split can be cancelled.`,
    );
    const task = {
      title: "Write the Modules section of README.md",
      description: "[[module:readme]] Add a Modules section to README.md naming every module of the library.",
      scope: ["README.md"],
    };
    const unknown = await call(client, "add_task", { runId, task: { ...task, dependsOn: ["t0999"] } });
    expect(textOf(unknown)).toBe(
      `dependsOn names t0999, which run ${runId} does not have; call list_tasks to see its task ids.`,
    );
    const added = dataOf(
      await call(client, "add_task", { runId, task: { ...task, dependsOn: [firstModule.id] } }),
    ) as { task: TaskRow & { kind: string; dependsOn: string[] } };
    expect(added.task).toMatchObject({ title: task.title, kind: "manual", dependsOn: [firstModule.id] });
    const resized = await call(client, "set_max_workers", { runId, workers: 3 });
    expect(textOf(resized)).toContain(`Run ${runId} now runs up to 3 task(s) at once.`);
    expect(dataOf(resized).maxWorkers).toBe(3);

    expect(textOf(await call(client, "resume_run", { runId }))).toContain(`Unpaused run ${runId}`);
    const progress: Progress[] = [];
    const ended = await waitUntilEnded(session, runId, progress);
    const total = planned + 1;
    expect(ended.status).toBe("green");
    expect(ended.progress).toMatchObject({ total, landed: total - 1, cancelled: 1, failed: 0 });
    const manual = dataOf(await call(client, "list_tasks", { runId, kind: "manual" })) as {
      tasks: TaskRow[];
    };
    expect(manual.tasks).toEqual([expect.objectContaining({ id: added.task.id, state: "landed" })]);
    const dropped = dataOf(await call(client, "get_task", { runId, taskId: readme.id })) as {
      task: { state: string; attempts: number };
    };
    expect(dropped.task).toMatchObject({ state: "cancelled", attempts: 0 });

    // Progress notifications only grow and finish at every task settled.
    expect(progress.length).toBeGreaterThan(0);
    for (let index = 1; index < progress.length; index++) {
      expect(progress[index]!.progress).toBeGreaterThanOrEqual(progress[index - 1]!.progress);
    }
    expect(progress.at(-1)).toMatchObject({ progress: total, total });
    expect(messages).toContain(`task ${readme.id} ready → cancelled: cancelled by user`);
    expect(messages).toContain(`task ${added.task.id} added: ${task.title}`);
    expect(messages.some((message) => message.startsWith("run ended green"))).toBe(true);

    // The integration branch has every module and the README section of the added task.
    const integration = `longshot/${runId}/integration`;
    const files = scenario.git("ls-tree", "-r", "--name-only", integration).split("\n");
    for (const module of scenario.modules) expect(files).toContain(`src/${module.name}.ts`);
    expect(scenario.git("show", `${integration}:README.md`)).toContain("## Modules");

    // A landed task shows its attempts, handoff and what the agent did.
    const detail = dataOf(await call(client, "get_task", { runId, taskId: firstModule.id })) as {
      task: { state: string };
      attempts: { outcome: string; accepted: boolean | null }[];
      handoffs: { handoff: { summary: string } }[];
      transcript: { toolCalls: number; byTool: Record<string, number> }[];
    };
    expect(detail.task.state).toBe("landed");
    expect(detail.attempts.at(-1)).toMatchObject({ outcome: "complete", accepted: true });
    expect(detail.handoffs.at(-1)?.handoff.summary).toContain(`Implemented ${scenario.modules[0]!.name}`);
    expect(detail.transcript[0]?.byTool.write_file).toBeGreaterThanOrEqual(2);

    // Resources: the report and the event log, listed and readable.
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(
      expect.arrayContaining([`longshot://runs/${runId}/report`, `longshot://runs/${runId}/events`]),
    );
    const report = await client.readResource({ uri: `longshot://runs/${runId}/report` });
    const reportText = (report.contents[0] as { text: string }).text;
    expect(reportText).toContain(`# Longshot run ${runId}`);
    expect(reportText).toContain("**green**");
    expect(reportText).toMatch(new RegExp(`\\| ${readme.id} \\| .* \\| cancelled \\|`));
    const log = await client.readResource({ uri: `longshot://runs/${runId}/events` });
    const events = (log.contents[0] as { text: string }).text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; seq: number });
    expect(events[0]?.type).toBe("run-start");
    expect(events.at(-1)?.type).toBe("run-end");
    expect(events.map((event) => event.type)).toContain("run-pause");

    // The same run the CLI sees: in the repository's own store.
    const store = new SqliteStore(join(scenario.repo, ".git", "longshot", "longshot.db"), {
      clock: systemClock,
    });
    try {
      expect(store.getRun(runId)?.status).toBe("green");
    } finally {
      store.close();
    }
    const runs = dataOf(await call(client, "list_runs", {})) as { runs: { runId: string; status: string }[] };
    expect(runs.runs).toEqual([expect.objectContaining({ runId, status: "green" })]);

    // Commands to a run that has ended say what to do instead.
    const pause = await call(client, "pause_run", { runId });
    expect(pause.isError).toBe(true);
    expect(textOf(pause)).toBe(
      `Run ${runId} ended green, so it cannot be paused; call start_run for a new run.`,
    );
    scenario.server.assertDone();
  });

  it("rejects bad arguments with one sentence saying what to fix", async () => {
    const scenario = await openScenario({ modules: 1 });
    const session = await connect(scenario);
    const { client } = session;
    const expectError = async (name: string, args: Record<string, unknown>, text: string): Promise<void> => {
      const result = await call(client, name, args);
      expect(result.isError, `${name} ${JSON.stringify(args)}: ${textOf(result)}`).toBe(true);
      expect(textOf(result)).toContain(text);
    };
    await expectError(
      "get_run",
      { runId: "r-missing" },
      `No run r-missing in ${scenario.repo}; call list_runs to see the runs.`,
    );
    await expectError("start_run", {}, "Invalid arguments for start_run: request is required (string).");
    await expectError(
      "start_run",
      { request: "Build it", options: { workers: 0, sandbox: "vm" } },
      'Invalid arguments for start_run: options.workers must be at least 1 (got 0); options.sandbox must be one of "local", "docker", "e2b", "modal" (got "vm").',
    );
    await expectError(
      "start_run",
      { request: "Build it", options: { colour: "red" } },
      'Invalid arguments for start_run: options has unknown key(s) "colour"; remove them.',
    );
    await expectError(
      "start_run",
      { request: "Build it", repo: "relative/path" },
      'Invalid arguments for start_run: repo must be an absolute path to a git repository, such as /home/me/project (got "relative/path").',
    );
    const plain = join(scenario.dir, "not-a-repo");
    mkdirSync(plain);
    await expectError(
      "start_run",
      { request: "Build it", repo: plain },
      `${plain} is not a git repository; pass the absolute path of a local git repository.`,
    );
    await expectError(
      "cancel_task",
      { runId: "r-missing", taskId: "42" },
      'Invalid arguments for cancel_task: taskId must be a task id such as t0001 (got "42").',
    );
    await expectError(
      "list_tasks",
      { runId: "r-missing", state: ["ready", "done"] },
      'Invalid arguments for list_tasks: state[1] must be one of "pending", "ready",',
    );
    await expectError(
      "add_task",
      { runId: "r-missing", task: { title: "Add a CLI" } },
      "Invalid arguments for add_task: task.description is required (string).",
    );
    await expectError("stop_run", { runId: "r-missing" }, `No run r-missing in ${scenario.repo}`);
    // Nothing was started by any of these.
    const runs = dataOf(await call(client, "list_runs", {})) as { total: number };
    expect(runs.total).toBe(0);
  });
});
