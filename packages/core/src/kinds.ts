/**
 * The lists of names the rest of the code, the help text, the MCP schemas, the configuration and
 * the docs derive from: the one place a harness, a sandbox kind or a merge strategy is added.
 * Plain constants without imports, so `longshot --help` can print them without loading zod
 * (`@longshot/core/kinds`); the zod enums are in `kind-schemas.ts`.
 */

/**
 * Which agent runs tasks (WORKER_HARNESS): the built-in loop, or an external coding CLI, each an
 * adapter in `@longshot/agent`.
 */
export const harnessKinds = ["builtin", "codex", "pi", "opencode", "claude-code"] as const;
export type HarnessKind = (typeof harnessKinds)[number];

/**
 * Where tasks run (SANDBOX_PROVIDER, SANDBOX_ROUTES), the package that provides each kind (loaded
 * only when the kind is chosen), and how its sandboxes reach the run's model gateway, which
 * external CLI harnesses need: `socket`, the gateway's unix socket bound into them (they share
 * this machine's kernel); `public-url`, over the network at GATEWAY_PUBLIC_URL, the only host
 * their egress allows.
 */
export const sandboxKinds = {
  local: { package: "@longshot/sandbox", gateway: "socket" },
  docker: { package: "@longshot/sandbox-docker", gateway: "socket" },
  e2b: { package: "@longshot/sandbox-e2b", gateway: "public-url" },
  modal: { package: "@longshot/sandbox-modal", gateway: "public-url" },
} as const satisfies Readonly<
  Record<string, { readonly package: string; readonly gateway: "socket" | "public-url" }>
>;
export type SandboxKind = keyof typeof sandboxKinds;
/** The sandbox kinds in their documented order. */
export const sandboxKindNames = Object.keys(sandboxKinds) as [SandboxKind, ...SandboxKind[]];

/**
 * SANDBOX_PROVIDER's choices: a sandbox kind, or `none`, which runs agent commands unisolated on
 * this machine. `none` is an explicit opt-out of the user's own; routes and MCP clients cannot
 * choose it.
 */
export const sandboxProviderNames = [...sandboxKindNames, "none"] as [
  SandboxKind | "none",
  ...(SandboxKind | "none")[],
];
export type SandboxProviderName = (typeof sandboxProviderNames)[number];

/**
 * Whether sandboxes of `kind` (a sandbox provider's name) reach the model gateway over the
 * network, at GATEWAY_PUBLIC_URL, rather than by its socket. `none`, which runs on this machine,
 * and names that are no sandbox kind do not.
 */
export function reachesGatewayByUrl(kind: string): boolean {
  return Object.hasOwn(sandboxKinds, kind) && sandboxKinds[kind as SandboxKind].gateway === "public-url";
}

/** The sandbox kinds a run uses: its provider and every SANDBOX_ROUTES target, each once. */
export function sandboxKindsOf(config: {
  readonly SANDBOX_PROVIDER: SandboxProviderName;
  readonly SANDBOX_ROUTES?: readonly { readonly sandbox: SandboxKind }[] | undefined;
}): SandboxProviderName[] {
  return [
    ...new Set([config.SANDBOX_PROVIDER, ...(config.SANDBOX_ROUTES ?? []).map((route) => route.sandbox)]),
  ];
}

/** How finished task branches land on the integration branch (MERGE_STRATEGY). */
export const mergeStrategies = ["fast-forward", "rebase", "merge-commit"] as const;
export type MergeStrategy = (typeof mergeStrategies)[number];

/** What each candidate merge must pass before the integration branch moves (MERGE_GATE). */
export const mergeGates = ["none", "build", "test"] as const;
export type MergeGateKind = (typeof mergeGates)[number];

/** `a | b | c`, as the help text shows a choice. */
export function choices(values: readonly string[]): string {
  return values.join(" | ");
}

/** `one of a, b, c`, as configuration errors and `.env.example` word a choice. */
export function oneOf(values: readonly string[]): string {
  return `one of ${values.join(", ")}`;
}
