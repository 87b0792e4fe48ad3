// Runs the fake model server in its own process, so the benchmark measures only the client side.
// Prints the base URL on the first line; stops on SIGTERM.
import { startFakeLlm } from "@longshot/testkit";

const replyChars = Number(process.argv[2] ?? "600");
const words = "the quick brown fox jumps over a lazy dog while streaming tokens ";
const text = words.repeat(Math.ceil(replyChars / words.length)).slice(0, replyChars);

const server = await startFakeLlm({
  policy: () => ({ text, usage: { inputTokens: 50, outputTokens: Math.ceil(replyChars / 4) } }),
  models: ["bench-model"],
});
process.stdout.write(`${server.url}\n`);
process.once("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
