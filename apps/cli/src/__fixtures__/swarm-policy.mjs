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

export default {
  async reply(request) {
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    return policy.reply(request);
  },
};
