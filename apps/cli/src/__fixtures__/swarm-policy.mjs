// A policy module for `longshot-fake-llm --policy`: the sample-library swarm, shaped by
// environment variables so one file serves every end-to-end test.
import { sampleModules, swarmPolicy } from "@longshot/testkit";

const modules = sampleModules.slice(0, Number(process.env.SWARM_MODULES ?? "8"));
const policy = swarmPolicy({
  modules,
  batchSize: Number(process.env.SWARM_BATCH ?? "16"),
  breakModules: (process.env.SWARM_BREAK ?? "").split(",").filter(Boolean),
  sharedIndexEvery: Number(process.env.SWARM_SHARED_EVERY ?? "4"),
});
const latency = Number(process.env.SWARM_LATENCY_MS ?? "0");
// Modules whose workers never manage: the planner retries them once, then drops them (and the
// barrel task that needs them).
const failing = new Set((process.env.SWARM_FAIL ?? "").split(",").filter(Boolean));

function finishFailed() {
  const args = { status: "failed", summary: "could not make it work", filesChanged: [], concerns: [], suggestions: [] };
  return { toolCalls: [{ name: "finish", arguments: args }] };
}

function dropBarrelWithFailures(request, reply) {
  const answer = JSON.parse(reply.text);
  if (!Array.isArray(answer.cancel) || answer.cancel.length === 0) return reply;
  const barrel = /\b(t\d{4,}) \[(pending|ready)\] \(barrel\)/.exec(request.lastUserText())?.[1];
  if (barrel !== undefined) answer.cancel.push({ id: barrel, reason: "the modules it exports were dropped" });
  return { text: JSON.stringify(answer) };
}

export default {
  async reply(request) {
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (failing.size > 0 && (request.role === "worker" || request.role === "fixer")) {
      const name = /\[\[module:([A-Za-z0-9_-]+)\]\]/.exec(request.messages.map((message) => message.content).join("\n"))?.[1];
      if (name !== undefined && failing.has(name)) return finishFailed();
    }
    const reply = await policy.reply(request);
    return failing.size > 0 && request.role === "planner" && "text" in reply
      ? dropBarrelWithFailures(request, reply)
      : reply;
  },
};
