import { createInterface } from "node:readline/promises";

/** A request that is one word is more often a mistyped command than a build request. */
export function isSingleWord(request: string): boolean {
  return !/\s/.test(request.trim());
}

/**
 * Asks on the terminal whether to start a run with `request`; true only for an explicit yes.
 * Ctrl+C or the end of input count as no.
 */
export async function confirmRequest(
  request: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<boolean> {
  const prompt = createInterface({ input, output, terminal: true });
  const controller = new AbortController();
  prompt.on("SIGINT", () => controller.abort());
  prompt.on("close", () => controller.abort());
  try {
    const answer = await prompt.question(
      `Start a run (it costs model calls) for the one-word request "${request}"? [y/N] `,
      { signal: controller.signal },
    );
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    output.write("\n");
    return false;
  } finally {
    prompt.close();
  }
}
