// A policy module for `longshot-fake-llm --policy`: a hostile model. The planner proposes one
// task per attack in the script ATTACK_SCRIPT names (JSON written by the test); the worker of
// each task plays that attack's tool calls turn by turn; the judge accepts everything; fix
// tasks give up at once. Every tool result the "model" is shown is appended to ATTACK_LOG, so
// the test can prove no secret ever reached it.
import { appendFileSync, readFileSync } from "node:fs";

const script = JSON.parse(readFileSync(process.env.ATTACK_SCRIPT ?? "", "utf8"));
const log = process.env.ATTACK_LOG ?? "";
const attacks = new Map(script.attacks.map((attack) => [attack.name, attack]));
const marker = /\[\[attack:([a-z0-9-]+)\]\]/;

function json(value) {
  return { text: JSON.stringify(value) };
}

function schemaName(request) {
  const named = request.body?.response_format?.json_schema?.name;
  if (named) return named;
  const system = request.messages.find((message) => message.role === "system")?.content ?? "";
  if (/review/i.test(system) && /verdict|accept/i.test(system)) return "verdict";
  if (/replan/i.test(system)) return "replan";
  if (/split/i.test(system)) return "split";
  return "plan_batch";
}

function planner(request) {
  switch (schemaName(request)) {
    case "replan": {
      const text = request.lastUserText();
      const open = /\[(pending|ready|running|review|merging)\]/.test(text);
      const failed = [...text.matchAll(/\b(t\d{4,}) \[failed\]/g)].map((match) => match[1]);
      return json({
        scratchpad: "the attacks are all planned",
        add: [],
        amend: [],
        cancel: failed.map((id) => ({ id, reason: "the attack is over" })),
        retry: [],
        split: [],
        complete: !open,
        completenessCheck: "every attack ran",
      });
    }
    case "split":
      return json({ tasks: [] });
    default:
      return json({
        scratchpad: "one task per attack",
        phase: "foundation",
        tasks: script.attacks.map((attack) => ({
          key: attack.name,
          title: attack.title,
          description: `[[attack:${attack.name}]] ${attack.title}.`,
          acceptance: ["it is done"],
          scope: attack.scope,
          dependsOn: [],
          priority: 50,
          size: "s",
          composite: false,
        })),
        more: false,
      });
  }
}

function finish(status, summary, filesChanged) {
  return {
    toolCalls: [
      { name: "finish", arguments: { status, summary, filesChanged, concerns: [], suggestions: [] } },
    ],
  };
}

function worker(request) {
  const messages = request.messages;
  const first = messages.find((message) => message.role === "user")?.content ?? "";
  const name = marker.exec(messages.filter((m) => m.role !== "tool").map((m) => m.content).join("\n"))?.[1];
  const attack = name === undefined ? undefined : attacks.get(name);
  if (log !== "") {
    const shown = messages.filter((message) => message.role === "tool").map((message) => message.content);
    appendFileSync(log, `${JSON.stringify({ attack: name ?? null, first, shown })}\n`);
  }
  if (attack === undefined) return finish("blocked", "nothing to do here", []);
  const turn = messages.filter((message) => message.role === "assistant").length;
  const calls = attack.turns[turn];
  if (calls !== undefined) return { toolCalls: calls };
  return finish("complete", attack.title, attack.scope);
}

export default {
  reply(request) {
    switch (request.role) {
      case "planner":
      case "subplanner":
        return planner(request);
      case "judge":
        return json({ accepted: true, feedback: "looks fine" });
      default:
        return worker(request);
    }
  },
};
