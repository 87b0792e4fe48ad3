import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type CheckCommand, cliInstallCommand } from "@longshot/agent";
import { type Config, EmitRelay, type Logger, type NewEvent, UserError } from "@longshot/core";
import type { SandboxRoute } from "@longshot/engine";
import { Git } from "@longshot/git";
import { checkEndpoints, type ModelClient, modelClientFromConfig } from "@longshot/llm";
import { detectCheckPlan, probedFiles } from "@longshot/reconciler";
import {
  defaultSandboxPath,
  missingCredentials,
  type SandboxProvider,
  type SocketMount,
} from "@longshot/sandbox";
import { checkContext, type SandboxBackends, sandboxBackend } from "./sandbox-backends.js";
import { repositoryTop, stateDirOf } from "./state-paths.js";

export { databaseOf, stateDirOf } from "./state-paths.js";

/**
 * PATH of local sandboxes and checks: SANDBOX_PATH first (where a CLI harness lives), then this
 * Node, so the project's toolchain matches longshot's.
 */
export function toolPath(config: Pick<Config, "SANDBOX_PATH">): string {
  const node = process.execPath.slice(0, process.execPath.lastIndexOf("/"));
  const extra = (config.SANDBOX_PATH ?? "").split(":").filter(Boolean);
  return [...extra, node, defaultSandboxPath].join(":");
}

/**
 * Where a repository's sandboxes, their repositories and the model gateway's socket live: one
 * root per repository (the repository's run lock then makes everything under it ours, so a new
 * process may remove whatever a crashed one left there), on tmpfs when there is one.
 */
export function workspaceRootOf(repo: string): string {
  const repoKey = createHash("sha256").update(repo).digest("hex").slice(0, 12);
  return existsSync("/dev/shm") ? join("/dev/shm", "longshot", repoKey) : join(stateDirOf(repo), "sandboxes");
}

/**
 * Checks the repository before anything is written: it exists, is a git repository with the
 * target branch, and its working tree is clean. Each failure is one actionable sentence.
 */
export async function checkRepository(repoArg: string, config: Config): Promise<{ repo: string; git: Git }> {
  const repo = resolve(repoArg);
  if (!existsSync(repo))
    throw new UserError(`${repo} does not exist; pass --repo with the path of a git repository.`);
  const git = new Git(repo);
  if (!(await git.isRepository())) {
    throw new UserError(`${repo} is not a git repository; run longshot inside one or pass --repo PATH.`);
  }
  const root = repositoryTop(repo);
  const rootGit = new Git(root);
  if ((await rootGit.resolveCommit(`refs/heads/${config.GIT_MAIN_BRANCH}`)) === null) {
    const current = await rootGit.currentBranch().catch(() => null);
    const built = current !== null && (await rootGit.resolveCommit(`refs/heads/${current}`)) !== null;
    const hint = built
      ? ` (it is on ${current}: --branch ${current} builds on that)`
      : current !== null && (await rootGit.resolveCommit("HEAD").catch(() => null)) === null
        ? " (it has no commit yet: commit first, SPEC.md for one)"
        : "";
    throw new UserError(
      `${root} has no branch ${config.GIT_MAIN_BRANCH}; set GIT_MAIN_BRANCH (or --branch) to the branch longshot should build on${hint}.`,
    );
  }
  const status = await rootGit.status();
  if (!status.clean) throw new UserError(dirtyTreeMessage(root, status.entries));
  return { repo: root, git: rootGit };
}

/**
 * Why a working tree is not clean, naming the paths (every one counts: nothing is skipped), and
 * for an untracked `.env` the fix that keeps the key out of git.
 */
export function dirtyTreeMessage(
  root: string,
  entries: readonly { readonly index: string; readonly worktree: string; readonly path: string }[],
): string {
  const shown = entries
    .slice(0, 5)
    .map((entry) => entry.path)
    .join(", ");
  const paths = `${entries.length} path(s): ${shown}${entries.length > 5 ? ", …" : ""}`;
  const secrets = entries.filter((entry) => entry.index === "?" && /(^|\/)\.env$/.test(entry.path));
  if (secrets.length > 0) {
    return `The working tree of ${root} has uncommitted changes (${paths}); ${secrets[0]!.path} holds settings and keys and must not be committed: add it to .gitignore (longshot init does), then commit or stash the rest.`;
  }
  return `The working tree of ${root} has uncommitted changes (${paths}); commit or stash them so the run starts from what you see.`;
}

/** A request that names a spec file needs that file. */
export function checkSpec(repo: string, request: string): void {
  for (const match of request.matchAll(/\b([\w./-]+\.md)\b/g)) {
    const name = match[1]!;
    if (!existsSync(join(repo, name))) {
      throw new UserError(
        `The request names ${name} but ${join(repo, name)} does not exist; write it (longshot spec) or change the request.`,
      );
    }
  }
}

export interface ModelSetup {
  readonly client: ModelClient;
  /** Sends model-call events to the run once it exists. */
  bind(emit: (event: NewEvent) => void): void;
  readonly description: string;
}

/**
 * Builds the model client and checks that its endpoints answer, before any side effect.
 * A configured endpoint that does not answer is a UserError naming it.
 */
export async function setupModels(config: Config, signal: AbortSignal): Promise<ModelSetup> {
  const events = new EmitRelay();
  const { client, endpoints } = await modelClientFromConfig(config, { signal, emit: events.emit });
  if (endpoints.source !== "local") {
    const checks = await checkEndpoints(endpoints.endpoints, { signal, timeoutMs: 10_000 });
    if (!checks.some((check) => check.ok)) {
      const first = checks[0];
      const variable = endpoints.source === "LLM_ENDPOINTS" ? "LLM_ENDPOINTS" : "LLM_BASE_URL";
      throw new UserError(
        `No model endpoint answers (${first?.url ?? "?"}: ${first?.error ?? "no answer"}); start the server or fix ${variable}.`,
      );
    }
  }
  const description =
    endpoints.local !== null
      ? `${endpoints.local.server} on 127.0.0.1:${endpoints.local.port}`
      : endpoints.endpoints.map((endpoint) => endpoint.name).join(", ");
  return {
    client,
    description,
    bind: (emit) => events.bind(emit),
  };
}

/**
 * The configured sandbox provider (or the one of `kind`, for a route); the one place a concrete
 * provider is built, by the kind's backend (loaded only when chosen). `sockets` (the model
 * gateway's) are bound into sandboxes that share this machine's kernel; cloud sandboxes running
 * a CLI harness may reach the gateway's public host and nothing else.
 */
export async function createSandboxProvider(
  config: Config,
  logger: Logger,
  repo: string,
  kind: Config["SANDBOX_PROVIDER"] = config.SANDBOX_PROVIDER,
  options: {
    readonly sockets?: readonly SocketMount[];
    readonly warmPoolSize?: number;
    /** Where LONGSHOT_BWRAP and HOME are read; default this process's environment. */
    readonly env?: NodeJS.ProcessEnv;
    readonly backends?: SandboxBackends;
  } = {},
): Promise<SandboxProvider> {
  const env = options.env ?? process.env;
  const backend = await sandboxBackend(kind, options.backends);
  const context = checkContext(config, kind, toolPath(config), env);
  const missing = missingCredentials(backend, config, context.via);
  if (missing !== null) throw new UserError(`${missing}.`);
  const workspaceRoot = join(workspaceRootOf(repo), kind === "none" ? "local" : kind);
  mkdirSync(workspaceRoot, { recursive: true });
  return backend.create({
    ...context,
    logger,
    repo,
    workspaceRoot,
    sockets: options.sockets ?? [],
    warmPoolSize: options.warmPoolSize ?? config.MAX_WORKERS,
    isolate: kind !== "none",
    cliInstall: config.WORKER_HARNESS === "builtin" ? null : cliInstallCommand(config.WORKER_HARNESS),
  });
}

/**
 * The run's SANDBOX_ROUTES as engine routes. A route to the run's own kind of sandbox shares
 * its provider; other kinds get one provider each, returned in `extra` for cleanup and close.
 */
export async function createSandboxRoutes(
  config: Config,
  main: SandboxProvider,
  make: (kind: Config["SANDBOX_PROVIDER"]) => Promise<SandboxProvider>,
): Promise<{ routes: SandboxRoute[]; extra: SandboxProvider[] }> {
  const providers = new Map<string, SandboxProvider>([[config.SANDBOX_PROVIDER, main]]);
  const extra: SandboxProvider[] = [];
  const routes: SandboxRoute[] = [];
  for (const route of config.SANDBOX_ROUTES ?? []) {
    let sandboxes = providers.get(route.sandbox);
    if (sandboxes === undefined) {
      sandboxes = await make(route.sandbox);
      providers.set(route.sandbox, sandboxes);
      extra.push(sandboxes);
    }
    const limits = {
      ...(route.network === undefined ? {} : { network: route.network }),
      ...(route.cpuCores === undefined ? {} : { cpuCores: route.cpuCores }),
      ...(route.memoryMb === undefined ? {} : { memoryMb: route.memoryMb }),
    };
    routes.push({ provides: route.provides, sandboxes, limits });
  }
  return { routes, extra };
}

/**
 * The checks workers may run with `run_checks`: the same plan the reconciler uses (configured
 * commands win, the rest detected from the repository's files).
 */
export function workerChecks(config: Config, repo: string): CheckCommand[] {
  const files = new Map<string, string>();
  for (const name of probedFiles) {
    const path = join(repo, name);
    if (existsSync(path)) files.set(name, readFileSync(path, "utf8"));
  }
  const plan = detectCheckPlan(files, {
    install: config.INSTALL_COMMAND,
    build: config.BUILD_COMMAND,
    typecheck: config.TYPECHECK_COMMAND,
    lint: config.LINT_COMMAND,
    test: config.TEST_COMMAND,
  });
  return plan.checks.map((check) => ({ name: check.name, command: check.command }));
}
