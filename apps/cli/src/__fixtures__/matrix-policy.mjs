// A policy module for `longshot-fake-llm --policy`: a small build (MATRIX_MODULES library modules,
// the barrel and the README) that every worker harness can do — the built-in agent with its own
// tools, an external CLI with its own shell tool — where the first attempt of every task fails on
// purpose (the built-in agent gives up, a CLI changes nothing), so every task is retried.
// MATRIX_FAIL_FIRST=0 turns the forced failure off.
import { indexHeader, sampleModules, swarmPolicy } from "@longshot/testkit";

const modules = sampleModules.slice(0, Number(process.env.MATRIX_MODULES ?? "1"));
const swarm = swarmPolicy({ modules, sharedIndexEvery: 0 });
const marker = /\[\[module:([A-Za-z0-9_-]+)\]\]/;
const failFirst = process.env.MATRIX_FAIL_FIRST !== "0";

/** What each task's finished work looks like, by its marker. */
function filesOf(name) {
  if (name === "readme") {
    const lines = ["# sample-utils", "", "A small TypeScript utility library.", "", "## Modules", ""];
    for (const entry of modules) lines.push(`- \`${entry.name}\`: ${entry.summary}`);
    return { "README.md": `${lines.join("\n")}\n` };
  }
  if (name === "barrel") {
    const exports = modules.map((entry) => `export { ${entry.name} } from "./${entry.name}.ts";\n`);
    return { "src/index.ts": `${indexHeader}${exports.join("")}` };
  }
  const entry = modules.find((candidate) => candidate.name === name);
  if (entry === undefined) return null;
  return { [`src/${name}.ts`]: entry.source, [`src/${name}.test.ts`]: entry.test };
}

/** A command that writes the files, free of shell quoting trouble (the contents travel as base64). */
function writeCommand(files) {
  const payload = Buffer.from(JSON.stringify(files)).toString("base64");
  const script =
    'const fs=require("fs"),path=require("path");' +
    'const files=JSON.parse(Buffer.from(process.argv[1],"base64").toString());' +
    "for(const [file,content] of Object.entries(files)){fs.mkdirSync(path.dirname(file),{recursive:true});fs.writeFileSync(file,content)}";
  return `node -e '${script}' ${payload}`;
}

/** A call of the CLI's own shell tool, or null when the request offers none. */
function shellCall(request, command) {
  const names = new Set(request.tools.map((tool) => tool.name));
  if (names.has("exec_command")) return { name: "exec_command", arguments: { cmd: command } };
  if (names.has("Bash")) return { name: "Bash", arguments: { command } };
  if (names.has("bash")) return { name: "bash", arguments: { command, description: "write the files" } };
  return null;
}

function cliWorker(request, attempt) {
  // Side calls without tools (session titles, quota checks) get a short answer.
  if (request.tools.length === 0) return { text: "Sample task" };
  const prompt = request.messages.map((message) => message.content).join("\n");
  const name = marker.exec(prompt)?.[1];
  if (attempt === 1) return { text: `I could not finish ${name ?? "this task"}.` };
  if (request.messages.some((message) => message.role === "tool")) return { text: `Done: ${name}.` };
  const files = name === undefined ? null : filesOf(name);
  const call = files === null ? null : shellCall(request, writeCommand(files));
  return call === null ? { text: "I do not know how to do this task." } : { toolCalls: [call] };
}

export default {
  reply(request) {
    if (request.role !== "worker") return swarm.reply(request);
    const attempt = failFirst ? Number(request.headers["x-longshot-attempt"] ?? "1") : 2;
    const builtin = request.tools.some((tool) => tool.name === "finish");
    if (!builtin) return cliWorker(request, attempt);
    if (attempt > 1) return swarm.reply(request);
    return {
      toolCalls: [
        {
          name: "finish",
          arguments: { status: "failed", summary: "Gave up on purpose.", filesChanged: [], concerns: [], suggestions: [] },
        },
      ],
    };
  },
};
