/**
 * Node's settings for a process that runs the orchestrator. V8 sizes the young generation from
 * the machine's memory: on one with 16 GiB or more, two 64 MiB semi-spaces, which a run that
 * allocates steadily keeps resident. At Swarm 1,000 × 200 that was 128 MB of a 480 MB peak while
 * the live heap after a full collection was about 45 MB; 16 MiB semi-spaces (V8's size on smaller
 * machines) cut the peak to 374 MB at the same orchestrator CPU per task (bench/README.md, the
 * partial run on memory). The benchmark starts its orchestrator with the same flags.
 */
export const orchestratorNodeFlags: readonly string[] = ["--max-semi-space-size=16"];

/**
 * Commands that never run the orchestrator, or only a small one (`demo`): they start as they are,
 * since their start time is what the user waits for.
 */
const quickCommands: ReadonlySet<string> = new Set([
  "help",
  "doctor",
  "init",
  "spec",
  "demo",
  "runs",
  "show",
  "report",
  "replay",
]);

/** What decides whether this process starts again with {@link orchestratorNodeFlags}. */
export interface RelaunchInput {
  /** The command line after the script (`process.argv.slice(2)`). */
  readonly argv: readonly string[];
  /** Node's own arguments this process got (`process.execArgv`). */
  readonly execArgv: readonly string[];
  /** `NODE_OPTIONS`, where a user may have chosen the young generation's size already. */
  readonly nodeOptions: string | undefined;
  /** The script this process runs (`process.argv[1]`). */
  readonly script: string;
}

/**
 * The arguments (after the Node executable) to start this command line again with
 * {@link orchestratorNodeFlags}, or null when it runs as it is: a quick command, help or version,
 * or the young generation's size already chosen (by these flags or by the user).
 */
export function relaunchArguments(input: RelaunchInput): string[] | null {
  const [first] = input.argv;
  if (input.script === "" || first === undefined || quickCommands.has(first)) return null;
  if (input.argv.some((word) => word === "--help" || word === "-h" || word === "--version")) return null;
  const chosen = [...input.execArgv, ...(input.nodeOptions ?? "").split(/\s+/)];
  if (chosen.some((word) => /^--max-semi-space-size(=|$)/.test(word))) return null;
  return [...orchestratorNodeFlags, ...input.execArgv, input.script, ...input.argv];
}
