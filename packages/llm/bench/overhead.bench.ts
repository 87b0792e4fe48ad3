// Client overhead: N concurrent streaming calls through ModelClient versus bare fetch + SSE
// parsing against the same fake server (in a child process), alternating rounds in one run.
// Usage: node bench/overhead.bench.ts [output.json]
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { EndpointPool, ModelClient } from "@longshot/llm";

const concurrency = 200;
const rounds = 15;
const replyChars = 600;
const goal = 1.2;
const here = dirname(fileURLToPath(import.meta.url));
const signal = new AbortController().signal;
const body = (model: string) => ({
  model,
  messages: [{ role: "user", content: "Write a paragraph." }],
  stream: true,
  stream_options: { include_usage: true },
  max_tokens: 4096,
  temperature: 0.7,
});

interface Batch {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly callMs: number[];
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [resolve(here, "serve-fake.ts"), String(replyChars)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (child.stdout === null) throw new Error("no stdout from the fake server");
  const lines = createInterface({ input: child.stdout });
  const [url] = (await once(lines, "line")) as [string];
  lines.close();
  return { url, child };
}

/** One call with fetch: POST, then read the SSE stream and parse every chunk, as a client must. */
async function bareCall(url: string): Promise<string> {
  const response = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer none" },
    body: JSON.stringify(body("bench-model")),
    signal,
  });
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  let text = "";
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const data = event.startsWith("data: ") ? event.slice(6) : "";
      if (data === "" || data === "[DONE]") continue;
      const chunk = JSON.parse(data) as { choices: { delta?: { content?: string } }[] };
      text += chunk.choices[0]?.delta?.content ?? "";
    }
  }
  return text;
}

async function clientCall(client: ModelClient): Promise<string> {
  let text = "";
  for await (const delta of client.stream(
    { messages: [{ role: "user", content: "Write a paragraph." }], maxTokens: 4096 },
    { role: "worker", runId: "bench", taskId: "t0001", signal },
  )) {
    if (delta.type === "text") text += delta.text;
    if (delta.type === "finish" && !delta.result.ok) throw new Error(JSON.stringify(delta.result));
  }
  return text;
}

async function batch(call: () => Promise<string>): Promise<Batch> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const callMs = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const begin = performance.now();
      const text = await call();
      if (text.length !== replyChars) throw new Error(`short reply: ${text.length} characters`);
      return performance.now() - begin;
    }),
  );
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, callMs };
}

const median = (values: number[]): number => percentile(values, 0.5);
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function summary(batches: Batch[]) {
  const calls = batches.flatMap((entry) => entry.callMs);
  return {
    wallMsMedian: median(batches.map((entry) => entry.wallMs)),
    cpuMsPerCall: median(batches.map((entry) => entry.cpuMs)) / concurrency,
    callMsP50: percentile(calls, 0.5),
    callMsP95: percentile(calls, 0.95),
    batchesWallMs: batches.map((entry) => Math.round(entry.wallMs * 10) / 10),
  };
}

async function main(): Promise<void> {
  const { url, child } = await startServer();
  try {
    const pool = new EndpointPool([{ name: "fake", endpoint: url, apiKey: "", weight: 1 }]);
    const worker = "bench-model";
    const client = new ModelClient({
      pool,
      models: { planner: worker, subplanner: worker, worker, judge: worker, fixer: worker },
    });
    const bare: Batch[] = [];
    const ours: Batch[] = [];
    const ratios: number[] = [];
    await batch(() => bareCall(url));
    await batch(() => clientCall(client));
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first so drift in machine load hits both alike.
      if (round % 2 === 0) {
        bare.push(await batch(() => bareCall(url)));
        ours.push(await batch(() => clientCall(client)));
      } else {
        ours.push(await batch(() => clientCall(client)));
        bare.push(await batch(() => bareCall(url)));
      }
      // Paired ratios: load on a shared machine drifts, but rarely within two adjacent batches.
      ratios.push((ours.at(-1)?.wallMs ?? 0) / (bare.at(-1)?.wallMs ?? 1));
    }
    report(summary(bare), summary(ours), ratios);
  } finally {
    child.kill("SIGTERM");
  }
}

function report(bare: ReturnType<typeof summary>, ours: ReturnType<typeof summary>, ratios: number[]): void {
  const ratio = median(ratios);
  const ratioQuartiles = [percentile(ratios, 0.25), percentile(ratios, 0.75)];
  const cpuRatio = ours.cpuMsPerCall / bare.cpuMsPerCall;
  const row = (name: string, values: ReturnType<typeof summary>) =>
    `| ${name.padEnd(20)} | ${values.wallMsMedian.toFixed(1).padStart(13)} | ${values.callMsP50.toFixed(1).padStart(8)} | ${values.callMsP95.toFixed(1).padStart(8)} | ${values.cpuMsPerCall.toFixed(3).padStart(13)} |`;
  const lines = [
    `llm overhead: ${concurrency} concurrent streaming calls, ${replyChars}-character replies, median of ${rounds} rounds`,
    "",
    "| client               | batch wall ms | call p50 | call p95 | CPU ms / call |",
    "|----------------------|---------------|----------|----------|---------------|",
    row("bare fetch + SSE", bare),
    row("ModelClient", ours),
    "",
    `wall-time ratio ${ratio.toFixed(3)}x, median of ${rounds} paired rounds (quartiles ${ratioQuartiles.map((value) => value.toFixed(2)).join("-")}); goal < ${goal}x: ${ratio < goal ? "PASS" : "FAIL"}`,
    `client CPU ratio ${cpuRatio.toFixed(2)}x, ${(ours.cpuMsPerCall - bare.cpuMsPerCall).toFixed(3)} ms extra CPU per call`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const now = new Date();
  const file =
    process.argv[2] ?? resolve(here, "../../../bench/results", `llm-${now.toISOString().slice(0, 10)}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const result = {
    benchmark: "llm-overhead",
    date: now.toISOString(),
    node: process.version,
    concurrency,
    rounds,
    replyChars,
    bare,
    client: ours,
    ratio,
    ratioQuartiles,
    ratios,
    cpuRatio,
    goal,
    pass: ratio < goal,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}

await main();
