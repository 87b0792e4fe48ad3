import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { messageOf, UserError } from "@longshot/core";
import { z } from "zod";
import type { FakePolicy } from "./fake-policy.js";
import { FakeReplySchema } from "./internal/reply-schema.js";
import { type ScriptEntry, ScriptedPolicy, type ScriptStep } from "./scripted-policy.js";

const JsonStepSchema = z.strictObject({
  reply: FakeReplySchema,
  role: z.string().exactOptional(),
  times: z.union([z.number().int().positive(), z.literal("unlimited")]).exactOptional(),
  optional: z.boolean().exactOptional(),
  label: z.string().exactOptional(),
});

const JsonScriptSchema = z.array(z.union([JsonStepSchema, FakeReplySchema]));

function fromJsonEntry(entry: z.infer<typeof JsonScriptSchema>[number]): ScriptEntry {
  if (!("reply" in entry) || "fault" in entry) return entry;
  const { times, ...rest } = entry;
  const step: ScriptStep =
    times === undefined ? rest : { ...rest, times: times === "unlimited" ? Infinity : times };
  return step;
}

async function loadJson(path: string): Promise<FakePolicy> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UserError(
      `Cannot read the policy file ${path} as JSON (${messageOf(error)}); fix the file or the path.`,
    );
  }
  const parsed = JsonScriptSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? "" : ` at ${issue.path.join(".") || "the top level"}`;
    throw new UserError(
      `The policy file ${path} is not a list of replies or steps${where}; see the testkit README for the format.`,
    );
  }
  return new ScriptedPolicy(parsed.data.map(fromJsonEntry));
}

function isPolicyObject(value: unknown): value is FakePolicy {
  return typeof value === "object" && value !== null && "reply" in value && typeof value.reply === "function";
}

async function loadModule(path: string): Promise<FakePolicy> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    throw new UserError(
      `Cannot load the policy module ${path} (${messageOf(error)}); fix the module or the path.`,
    );
  }
  const policy = loaded.default;
  if (typeof policy === "function") return policy as FakePolicy;
  if (Array.isArray(policy)) return new ScriptedPolicy(policy as ScriptEntry[]);
  if (isPolicyObject(policy)) return policy;
  throw new UserError(
    `The policy module ${path} must export by default a policy function, a policy object or a step list.`,
  );
}

/**
 * Loads a policy for the fake server from a file: a `.json` file holding a step list (each entry
 * a reply, or `{ reply, role?, times?, optional?, label? }` with `times` a number or
 * `"unlimited"`) becomes a {@link ScriptedPolicy}; any other file is imported as an ES module
 * whose default export is a policy function, a policy object or a step list.
 * Throws UserError (one sentence) when the file cannot be read or has the wrong shape.
 */
export async function loadPolicyFile(absolutePath: string): Promise<FakePolicy> {
  return extname(absolutePath).toLowerCase() === ".json" ? loadJson(absolutePath) : loadModule(absolutePath);
}
