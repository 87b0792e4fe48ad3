// Fake model policy for the turn-overhead benchmark: every agent reads a file, lists a
// directory and searches, in turn, until it has made TURNS - 1 tool calls, then finishes.
const turns = Number(process.env.BENCH_TURNS ?? "10");
const calls = [
  { name: "read_file", arguments: { path: "src/module.ts" } },
  { name: "list_files", arguments: { path: "src" } },
  { name: "search", arguments: { pattern: "export" } },
];

export default function policy(request) {
  const done = request.messages.filter((message) => message.role === "assistant").length;
  if (done >= turns - 1) {
    return {
      toolCalls: [{ name: "finish", arguments: { status: "complete", summary: "Benchmark task done." } }],
    };
  }
  return { text: "Working.", toolCalls: [calls[done % calls.length]] };
}
