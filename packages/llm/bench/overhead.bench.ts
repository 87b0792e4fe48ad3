// Client overhead: N concurrent streaming calls through ModelClient versus bare fetch + SSE
// parsing against the same fake server (in a child process), in rounds that rotate the order, in
// one run. The openai SDK alone (its request path, with the same SSE parsing as the bare client)
// is measured too, to show which part of the overhead is the SDK's.
// Usage: node bench/overhead.bench.ts [output.json]
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { EndpointPool, ModelClient } from "@longshot/llm";
import OpenAI from "openai";

const concurrency = 200;
const rounds = 15;
const replyChars = 600;
const goal = 1.2;
const model = "bench-model";
const here = dirname(fileURLToPath(import.meta.url));
const signal = new AbortController().signal;
const messages = [{ role: "user" as const, content: "Write a paragraph." }];
const body = {
  model,
  messages,
  stream: true as const,
  stream_options: { include_usage: true },
  max_tokens: 4096,
};

type Variant = "bare" | "sdk" | "client";
const variants: readonly Variant[] = ["bare", "sdk", "client"];
const labels: Record<Variant, string> = {
  bare: "bare fetch + SSE",
  sdk: "openai SDK + SSE",
  client: "ModelClient",
};

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

/** Reads an SSE body and parses every chunk, as any client must. */
async function readSse(response: Response): Promise<string> {
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

function callers(url: string): Record<Variant, () => Promise<string>> {
  const sdk = new OpenAI({ baseURL: url, apiKey: "none", maxRetries: 0 });
  const pool = new EndpointPool([{ name: "fake", endpoint: url, apiKey: "", weight: 1 }]);
  const models = {
    planner: model,
    subplanner: model,
    worker: model,
    judge: model,
    fixer: model,
    critic: model,
  };
  const client = new ModelClient({ pool, models });
  const options = { role: "worker" as const, runId: "bench", taskId: "t0001", signal };
  return {
    bare: async () =>
      readSse(
        await fetch(`${url}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer none" },
          body: JSON.stringify(body),
          signal,
        }),
      ),
    sdk: async () => readSse(await sdk.chat.completions.create(body, { signal }).asResponse()),
    client: async () => {
      let text = "";
      for await (const delta of client.stream({ messages, maxTokens: 4096 }, options)) {
        if (delta.type === "text") text += delta.text;
        if (delta.type === "finish" && !delta.result.ok) throw new Error(JSON.stringify(delta.result));
      }
      return text;
    },
  };
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

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function summary(batches: readonly Batch[]) {
  const calls = batches.flatMap((entry) => entry.callMs);
  return {
    wallMsMedian: percentile(
      batches.map((entry) => entry.wallMs),
      0.5,
    ),
    cpuMsPerCall:
      percentile(
        batches.map((entry) => entry.cpuMs),
        0.5,
      ) / concurrency,
    callMsP50: percentile(calls, 0.5),
    callMsP95: percentile(calls, 0.95),
    batchesWallMs: batches.map((entry) => Math.round(entry.wallMs * 10) / 10),
  };
}

/** Median and quartiles of per-round ratios: load on a shared machine drifts, but little within a round. */
function pairedRatio(results: Record<Variant, Batch[]>, over: Variant, under: Variant) {
  const ratios = results[over].map(
    (entry, round) => entry.wallMs / (results[under][round]?.wallMs ?? Number.NaN),
  );
  return {
    median: percentile(ratios, 0.5),
    quartiles: [percentile(ratios, 0.25), percentile(ratios, 0.75)],
    ratios: ratios.map((value) => Math.round(value * 1000) / 1000),
  };
}

async function main(): Promise<void> {
  const { url, child } = await startServer();
  try {
    const call = callers(url);
    const results: Record<Variant, Batch[]> = { bare: [], sdk: [], client: [] };
    for (const variant of variants) await batch(call[variant]);
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so that drift in machine load hits every variant alike.
      for (let step = 0; step < variants.length; step++) {
        const variant = variants[(round + step) % variants.length] ?? "bare";
        results[variant].push(await batch(call[variant]));
      }
    }
    report(results);
  } finally {
    child.kill("SIGTERM");
  }
}

function report(results: Record<Variant, Batch[]>): void {
  const summaries = {
    bare: summary(results.bare),
    sdk: summary(results.sdk),
    client: summary(results.client),
  };
  const total = pairedRatio(results, "client", "bare");
  const sdkShare = pairedRatio(results, "sdk", "bare");
  const ours = pairedRatio(results, "client", "sdk");
  const fixed = (value: number, digits = 1) => value.toFixed(digits);
  const row = (variant: Variant) => {
    const entry = summaries[variant];
    return `| ${labels[variant].padEnd(18)} | ${fixed(entry.wallMsMedian).padStart(13)} | ${fixed(entry.callMsP50).padStart(8)} | ${fixed(entry.callMsP95).padStart(8)} | ${fixed(entry.cpuMsPerCall, 3).padStart(13)} |`;
  };
  const describe = (ratio: ReturnType<typeof pairedRatio>) =>
    `${fixed(ratio.median, 3)}x (quartiles ${ratio.quartiles.map((value) => fixed(value, 2)).join("-")})`;
  const pass = total.median < goal;
  const lines = [
    `llm overhead: ${concurrency} concurrent streaming calls, ${replyChars}-character replies, ${rounds} rounds`,
    "",
    "| client             | batch wall ms | call p50 | call p95 | CPU ms / call |",
    "|--------------------|---------------|----------|----------|---------------|",
    ...variants.map(row),
    "",
    `ModelClient / bare fetch: ${describe(total)}; goal < ${goal}x: ${pass ? "PASS" : "FAIL"}`,
    `  of which openai SDK / bare fetch: ${describe(sdkShare)}`,
    `  of which ModelClient / openai SDK: ${describe(ours)}`,
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
    variants: summaries,
    ratio: total.median,
    ratioQuartiles: total.quartiles,
    ratios: total.ratios,
    sdkRatio: sdkShare.median,
    clientOverSdkRatio: ours.median,
    goal,
    pass,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}

await main();
