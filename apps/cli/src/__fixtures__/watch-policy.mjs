// A policy module for `longshot-fake-llm --policy`: the sample-library swarm for issue builds,
// plus what the watch loop needs besides: a follow-up run that addresses review feedback (one
// task writing REVIEW_NOTES.md) and a gap analysis proposing the next modules.
import { sampleModules, swarmPolicy } from "@longshot/testkit";

const modules = sampleModules.slice(0, Number(process.env.SWARM_MODULES ?? "2"));
const swarm = swarmPolicy({ modules, batchSize: 16, sharedIndexEvery: 0 });
const latency = Number(process.env.SWARM_LATENCY_MS ?? "0");

const reviewTask = {
  key: "review-notes",
  title: "Apply the review feedback",
  description: "[[review]] Record how each review comment was addressed in REVIEW_NOTES.md.",
  acceptance: ["REVIEW_NOTES.md answers every review comment"],
  scope: ["REVIEW_NOTES.md"],
  dependsOn: [],
  priority: 80,
  size: "xs",
  composite: false,
};

const gapTasks = [
  {
    key: "slugify",
    title: "Add a slugify module",
    description: "The goal asks for a text helper per module; nothing turns titles into URL slugs yet.",
    acceptance: ['slugify("Hello World") returns "hello-world"', "src/slugify.test.ts passes"],
    scope: ["src/slugify.ts", "src/slugify.test.ts"],
    dependsOn: [],
    priority: 60,
    size: "s",
    composite: false,
  },
  {
    key: "chunk",
    title: "Add a chunk module",
    description: "Arrays cannot be split into fixed-size groups yet.",
    acceptance: ["chunk([1, 2, 3], 2) returns [[1, 2], [3]]"],
    scope: ["src/chunk.ts", "src/chunk.test.ts"],
    dependsOn: [],
    priority: 40,
    size: "s",
    composite: false,
  },
];

function schemaName(request) {
  return request.body?.response_format?.json_schema?.name ?? "";
}

function text(request) {
  return request.messages.map((message) => message.content).join("\n");
}

function reviewTurn(request) {
  const turn = request.messages.filter((message) => message.role === "assistant").length;
  if (turn === 0) {
    const feedback = /## Review feedback\n\n([\s\S]*?)\n\n(?:## The issue|## Acceptance)/.exec(text(request))?.[1] ?? "(none)";
    const content = `# Review notes\n\n${feedback.replace(/^\d+\. /gm, "- Addressed: ")}\n`;
    return { toolCalls: [{ name: "write_file", arguments: { path: "REVIEW_NOTES.md", content } }] };
  }
  return {
    toolCalls: [
      {
        name: "finish",
        arguments: {
          status: "complete",
          summary: "Wrote REVIEW_NOTES.md answering each review comment.",
          filesChanged: ["REVIEW_NOTES.md"],
          concerns: [],
          suggestions: [],
        },
      },
    ],
  };
}

export default {
  async reply(request) {
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const all = text(request);
    if (request.role === "planner" && schemaName(request) === "gap_analysis") {
      return { text: JSON.stringify({ summary: "Two helpers of the goal are missing.", tasks: gapTasks }) };
    }
    const review = all.includes("Address the review of pull request");
    if (request.role === "planner" && review && schemaName(request) === "plan_batch") {
      // As a planner would: the task carries the feedback it must address.
      const feedback = /## Review feedback\n\n([\s\S]*?)\n\n## The issue/.exec(all)?.[1] ?? "";
      const task = { ...reviewTask, description: `${reviewTask.description}\n\n## Review feedback\n\n${feedback}` };
      return { text: JSON.stringify({ scratchpad: "one task", phase: "review", tasks: [task], more: false }) };
    }
    const first = request.messages.find((message) => message.role === "user")?.content ?? "";
    if (request.role === "worker" && first.includes("[[review]]")) return reviewTurn(request);
    return swarm.reply(request);
  },
};
