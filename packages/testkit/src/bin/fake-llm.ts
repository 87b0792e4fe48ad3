#!/usr/bin/env node
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { exitCodeOf, messageOf, UserError } from "@longshot/core";
import { startFakeLlm } from "../fake-llm-server.js";
import { loadPolicyFile } from "../load-policy-file.js";

const usage = "Usage: longshot-fake-llm --policy FILE [--port N] [--models ID,ID]";

interface Flags {
  readonly policy: string;
  readonly port: number;
  readonly models: string[] | undefined;
}

function readFlags(argv: string[]): Flags | "help" {
  let values: { policy?: string; port?: string; models?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        policy: { type: "string" },
        port: { type: "string" },
        models: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UserError(`${messageOf(error).replace(/\.$/, "")}; ${usage}.`);
  }
  if (values.help === true) return "help";
  if (values.policy === undefined || values.policy === "") {
    throw new UserError(`Missing --policy FILE (a JSON step list or an ES module); ${usage}.`);
  }
  const port = Number(values.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(`--port must be an integer from 0 to 65535, not "${values.port}".`);
  }
  const models = values.models?.split(",").filter((id) => id !== "");
  return { policy: resolve(process.cwd(), values.policy), port, models };
}

async function main(argv: string[]): Promise<number> {
  const flags = readFlags(argv);
  if (flags === "help") {
    process.stdout.write(
      `${usage}\nServes a fake OpenAI/Anthropic-compatible model on 127.0.0.1 and prints its URL.\n`,
    );
    return 0;
  }
  const policy = await loadPolicyFile(flags.policy);
  // Listen for the signals before printing the URL: a parent may signal as soon as it reads it.
  const stopped = new Promise<void>((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
  const server = await startFakeLlm({
    policy,
    port: flags.port,
    ...(flags.models === undefined ? {} : { models: flags.models }),
  });
  process.stdout.write(`${server.url}\n`);
  await stopped;
  await server.close();
  try {
    server.assertDone();
    return 0;
  } catch (error) {
    process.stderr.write(`${messageOf(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${messageOf(error)}\n`);
    process.exitCode = exitCodeOf(error);
  },
);
