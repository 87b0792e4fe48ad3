import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import {
  runSpecInterview,
  type SpecInterviewOptions,
  type SpecInterviewResult,
} from "../run-spec-interview.js";

/** What a piped interview did: its result, everything it printed, and SPEC.md (null when absent). */
export interface PipedInterview {
  readonly result: SpecInterviewResult;
  readonly printed: string;
  readonly spec: string | null;
}

/** Runs the interview with `lines` piped in (not a terminal; the input ends after them). */
export async function pipedInterview(
  lines: readonly string[],
  options: Omit<SpecInterviewOptions, "input" | "output" | "isTty">,
): Promise<PipedInterview> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  input.end(lines.map((line) => `${line}\n`).join(""));
  const result = await runSpecInterview({ input, output, isTty: false, ...options });
  const spec = await readFile(join(options.repoDir, "SPEC.md"), "utf8").catch(() => null);
  return { result, printed, spec };
}
