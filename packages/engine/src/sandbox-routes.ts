import type { Task } from "@longshot/core";
import type { SandboxLimits, SandboxProvider } from "@longshot/sandbox";

/** A sandbox for tasks whose requirements it provides (one entry of SANDBOX_ROUTES). */
export interface SandboxRoute {
  /** Requirements this route satisfies, such as `network` or `large`. */
  readonly provides: readonly string[];
  readonly sandboxes: SandboxProvider;
  /** Limits on top of the run's own. */
  readonly limits?: Partial<SandboxLimits>;
}

/** Where one attempt of a task runs. */
export interface RoutedSandbox {
  readonly sandboxes: SandboxProvider;
  readonly limits: SandboxLimits;
}

/**
 * Picks the sandbox for a task: the run's own provider and limits when the task requires
 * nothing they lack (the run's limits provide `network` when they allow it), otherwise the
 * first route that provides every requirement. A requirement nothing provides is returned as a
 * problem sentence, for the task to fail with at once instead of waiting forever.
 */
export function routeTask(
  task: Pick<Task, "id" | "requires">,
  fallback: RoutedSandbox,
  routes: readonly SandboxRoute[],
): RoutedSandbox | { readonly problem: string } {
  const requires = task.requires ?? [];
  const builtIn = fallback.limits.network ? ["network"] : [];
  if (requires.every((need) => builtIn.includes(need))) return fallback;
  const route = routes.find((candidate) => requires.every((need) => candidate.provides.includes(need)));
  if (route !== undefined) {
    return { sandboxes: route.sandboxes, limits: { ...fallback.limits, ...route.limits } };
  }
  const missing = requires.filter((need) => !routes.some((candidate) => candidate.provides.includes(need)));
  const named = (missing.length > 0 ? missing : requires).join(", ");
  return {
    problem: `Task ${task.id} requires ${named}, which no sandbox route provides; add a route to SANDBOX_ROUTES, for example [{"provides":["${missing[0] ?? requires[0]}"],"sandbox":"docker","network":true}].`,
  };
}
