import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const binPath = fileURLToPath(new URL("../../dist/bin/fake-llm.js", import.meta.url));
let directory = "";

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "fake-llm-cli-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stderr: () => string;
  readonly exit: Promise<[number | null, NodeJS.Signals | null]>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [binPath, ...args], { stdio: "pipe" });
  let stderr = "";
  child.stderr.on("data", (data: Buffer) => {
    stderr += data.toString();
  });
  const exit = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, stderr: () => stderr, exit };
}

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, "line")) as [string];
  lines.close();
  return line;
}

async function serveWith(policyFile: string): Promise<{ run: Run; client: OpenAI; url: string }> {
  const started = run(["--policy", policyFile, "--port", "0"]);
  const url = await firstLine(started.child);
  return { run: started, url, client: new OpenAI({ baseURL: url, apiKey: "test", maxRetries: 0 }) };
}

describe("longshot-fake-llm", () => {
  it("serves a JSON step list, prints its URL and reports a finished script on SIGTERM", async () => {
    const file = join(directory, "script.json");
    await writeFile(
      file,
      JSON.stringify([
        { text: "from the json script" },
        { role: "worker", reply: { toolCalls: [{ name: "run", arguments: { cmd: "ls" } }] } },
      ]),
    );
    const { run: server, url, client } = await serveWith(file);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const first = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(first.choices[0]?.message.content).toBe("from the json script");
    const second = await client.chat.completions.create(
      { model: "m", messages: [{ role: "user", content: "go" }] },
      { headers: { "x-longshot-role": "worker" } },
    );
    expect(second.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: "run", arguments: '{"cmd":"ls"}' },
    });
    server.child.kill("SIGTERM");
    expect(await server.exit).toEqual([0, null]);
  });

  it("exits 1 and names the unused steps when stopped before the script is done", async () => {
    const file = join(directory, "unused.json");
    await writeFile(file, JSON.stringify([{ text: "a" }, { label: "final answer", reply: { text: "b" } }]));
    const { run: server } = await serveWith(file);
    server.child.kill("SIGINT");
    expect(await server.exit).toEqual([1, null]);
    expect(server.stderr()).toContain("Unused script step: final answer");
  });

  it("serves the default export of an ES module policy", async () => {
    const file = join(directory, "policy.mjs");
    await writeFile(file, "export default (request) => ({ text: 'you said ' + request.lastUserText() });\n");
    const { run: server, client } = await serveWith(file);
    const reply = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "ping" }],
    });
    expect(reply.choices[0]?.message.content).toBe("you said ping");
    server.child.kill("SIGTERM");
    expect(await server.exit).toEqual([0, null]);
  });

  it.each([
    [["--nope"], /Unknown option '--nope'/],
    [[], /Missing --policy FILE/],
    [["--policy", "x.json", "--port", "70000"], /--port must be an integer/],
    [["--policy", "/definitely/missing.json"], /Cannot read the policy file/],
  ])("exits 2 with one sentence for %j", async (args, message) => {
    const bad = run(args);
    expect(await bad.exit).toEqual([2, null]);
    expect(bad.stderr()).toMatch(message);
    expect(bad.stderr().trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 when the JSON is not a step list", async () => {
    const file = join(directory, "wrong.json");
    await writeFile(file, JSON.stringify([{ txt: "typo" }]));
    const bad = run(["--policy", file]);
    expect(await bad.exit).toEqual([2, null]);
    expect(bad.stderr()).toMatch(/is not a list of replies or steps at 0/);
  });
});
