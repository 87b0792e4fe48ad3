import type { ProcessLauncher } from "./process-launcher.js";
import { SpawnerProcessLauncher } from "./spawner-process-launcher.js";

let current: ProcessLauncher | undefined;

/**
 * The process launcher of everything that starts programs without being given one (git
 * runners, sandbox commands): a {@link SpawnerProcessLauncher} unless the composition root chose
 * another with {@link setProcessLauncher}.
 */
export function processLauncher(): ProcessLauncher {
  current ??= new SpawnerProcessLauncher();
  return current;
}

/**
 * Makes `launcher` the default for launches from now on (a `ChildProcessLauncher` switches the
 * spawner off). Programs already running are not affected.
 */
export function setProcessLauncher(launcher: ProcessLauncher): void {
  current = launcher;
}
