import { type Config, messageOf, UserError } from "@longshot/core";
import { probeBubblewrap, probeCgroups } from "@longshot/sandbox";
import Docker from "dockerode";

/**
 * The isolation a run would get: `isolated` (the provider contains agent code), `off` (the
 * user opted out with SANDBOX_PROVIDER=none), or `unavailable` (the chosen provider cannot
 * isolate here; a run refuses to start).
 */
export interface IsolationReport {
  readonly provider: Config["SANDBOX_PROVIDER"];
  readonly status: "isolated" | "off" | "unavailable";
  /** One sentence: what would contain agent code, or why nothing can. */
  readonly detail: string;
  /** Resource limits that are and are not enforced, for doctor. */
  readonly limits: string;
}

/** How the probe reaches the outside world; inject others in tests. */
export interface IsolationProbeSeams {
  readonly bubblewrap?: (binary: string, path: string) => ReturnType<typeof probeBubblewrap>;
  readonly docker?: (image: string) => Promise<string | null>;
  readonly cgroups?: typeof probeCgroups;
}

/** The sentence printed (in red) whenever a run goes ahead without isolation. */
export const unisolatedWarning =
  "SANDBOX_PROVIDER=none: agent commands, builds and tests run on this machine with your user's rights, unisolated.";

/**
 * Finds out whether the configured sandbox provider can contain agent code here: for `local`,
 * whether bubblewrap can create and enter a sandbox; for `docker`, whether the engine answers
 * and has the worker image; for `e2b`, whether a key is set. `path` is the sandbox PATH.
 */
export async function probeIsolation(
  config: Config,
  path: string,
  seams: IsolationProbeSeams = {},
  bubblewrapBinary = "bwrap",
  provider: Config["SANDBOX_PROVIDER"] = config.SANDBOX_PROVIDER,
): Promise<IsolationReport> {
  const disk = `private /tmp and $HOME of ${config.SANDBOX_DISK_MB} MB per sandbox, no file over ${config.SANDBOX_DISK_MB} MB`;
  const via =
    provider === config.SANDBOX_PROVIDER
      ? `SANDBOX_PROVIDER=${provider}`
      : `SANDBOX_ROUTES (sandbox ${provider})`;
  // A CLI harness's cloud sandboxes may reach the gateway's public host, and nothing else.
  const egress =
    config.WORKER_HARNESS !== "builtin" && config.GATEWAY_PUBLIC_URL !== undefined
      ? `only ${new URL(config.GATEWAY_PUBLIC_URL).host} (the model gateway) reachable`
      : null;
  switch (provider) {
    case "none":
      return { provider, status: "off", detail: unisolatedWarning, limits: "none enforced" };
    case "local": {
      const probe = await (seams.bubblewrap ?? probeBubblewrap)(bubblewrapBinary, path);
      if (!probe.ok) {
        return {
          provider,
          status: "unavailable",
          detail: `local sandboxes cannot be isolated here (${probe.problem}); install bubblewrap (apt-get install bubblewrap), allow unprivileged user namespaces, choose --sandbox docker, or opt out explicitly with SANDBOX_PROVIDER=none`,
          limits: "",
        };
      }
      return {
        provider,
        status: "isolated",
        detail:
          "local sandboxes run under bubblewrap: no network, read-only system, only the task's worktree writable, own processes",
        limits: `${disk}, the worktree may grow by ${config.SANDBOX_DISK_MB} MB; ${await localCpuAndMemory(config, seams)}`,
      };
    }
    case "docker": {
      const problem = await (seams.docker ?? dockerProblem)(config.DOCKER_IMAGE);
      if (problem !== null) return { provider, status: "unavailable", detail: problem, limits: "" };
      return {
        provider,
        status: "isolated",
        detail: `each task runs in a ${config.DOCKER_IMAGE} container: no network, no capabilities, no host paths but its own`,
        limits: `${config.SANDBOX_CPU_CORES} CPU cores and ${config.SANDBOX_MEMORY_MB} MB of memory per sandbox; ${disk}`,
      };
    }
    case "modal":
      if (!config.MODAL_TOKEN_ID || !config.MODAL_TOKEN_SECRET) {
        return {
          provider,
          status: "unavailable",
          detail: `${via} needs MODAL_TOKEN_ID and MODAL_TOKEN_SECRET; set them or choose --sandbox local`,
          limits: "",
        };
      }
      return {
        provider,
        status: "isolated",
        detail: `each task runs in a Modal sandbox, ${egress ?? "network blocked"} unless asked`,
        limits: `${config.SANDBOX_CPU_CORES} CPU cores and ${config.SANDBOX_MEMORY_MB} MB of memory per sandbox`,
      };
    case "e2b":
      if (!config.E2B_API_KEY) {
        return {
          provider,
          status: "unavailable",
          detail: `${via} needs E2B_API_KEY; set it or choose --sandbox local`,
          limits: "",
        };
      }
      return {
        provider,
        status: "isolated",
        detail: `each task runs in an E2B microVM from the ${config.E2B_TEMPLATE} template, ${egress ?? "internet access off"} unless asked`,
        limits: "CPU and memory come from the E2B template",
      };
  }
}

/**
 * Refuses (UserError, exit code 2) when the provider, or any SANDBOX_ROUTES target, cannot
 * isolate here; call it before the first side effect of a run. Returns the run provider's
 * report, so an opted-out run can say so.
 */
export async function requireIsolation(
  config: Config,
  path: string,
  seams: IsolationProbeSeams = {},
  bubblewrapBinary = "bwrap",
): Promise<IsolationReport> {
  const kinds = [
    ...new Set([config.SANDBOX_PROVIDER, ...(config.SANDBOX_ROUTES ?? []).map((route) => route.sandbox)]),
  ];
  const reports = await Promise.all(
    kinds.map((kind) => probeIsolation(config, path, seams, bubblewrapBinary, kind)),
  );
  for (const report of reports) {
    if (report.status === "unavailable") {
      const sentence = report.detail.charAt(0).toUpperCase() + report.detail.slice(1);
      throw new UserError(`${sentence}.`);
    }
  }
  return reports[0]!;
}

/** Null when the Docker engine answers and has `image`, else the sentence saying what to fix. */
async function dockerProblem(image: string): Promise<string | null> {
  const docker = new Docker();
  try {
    await withTimeout(docker.ping(), 10_000, "the engine did not answer within 10 s");
  } catch (error) {
    return `SANDBOX_PROVIDER=docker but no Docker engine answers (${messageOf(error)}); start dockerd or set DOCKER_HOST`;
  }
  try {
    await withTimeout(docker.getImage(image).inspect(), 10_000, "timed out");
    return null;
  } catch {
    return `the Docker image ${image} is missing; build it with scripts/build-worker-image.sh (offline) or docker build -t ${image} -f docker/Dockerfile docker`;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What doctor says of CPU and memory on the local provider: a cgroup per sandbox, or why not. */
async function localCpuAndMemory(config: Config, seams: IsolationProbeSeams): Promise<string> {
  const probe = await (seams.cgroups ?? probeCgroups)();
  if (probe.ok) {
    return `${config.SANDBOX_CPU_CORES} CPU cores and ${config.SANDBOX_MEMORY_MB} MB of memory per sandbox (a cgroup each)`;
  }
  return `CPU and memory limits are not enforced by local sandboxes here: ${probe.problem} (run as a user who may create cgroups, or use --sandbox docker for SANDBOX_CPU_CORES and SANDBOX_MEMORY_MB)`;
}
