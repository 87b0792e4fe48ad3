import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";

/** The worker image with the CLI harnesses (scripts/build-worker-image.sh --cli). */
export const cliImage = "longshot-worker-cli:latest";
const buildScript = fileURLToPath(new URL("../../../../scripts/build-worker-image.sh", import.meta.url));
/** The first build installs the CLIs from the npm registry and imports a large root file system. */
const buildTimeoutMs = 15 * 60_000;

/**
 * Makes sure the CLI worker image exists, building it when it does not (the script returns at
 * once when it does). Resolves with null, or with why Docker sandboxes cannot be tested here,
 * for the suite to skip its Docker cases; with LONGSHOT_REQUIRE_DOCKER=1 (where Docker must
 * work) it throws that reason instead. Asynchronous and bounded, so a hung build fails the
 * suite's setup instead of blocking it.
 */
export async function ensureCliImage(): Promise<string | null> {
  const problem = await cliImageProblem();
  if (problem !== null && process.env.LONGSHOT_REQUIRE_DOCKER === "1") throw new Error(problem);
  return problem;
}

async function cliImageProblem(): Promise<string | null> {
  try {
    await new Docker().ping();
  } catch (error) {
    return `no Docker engine answers: ${String(error)}`;
  }
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn("bash", [buildScript, "--cli"], { stdio: ["ignore", "inherit", "inherit"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), buildTimeoutMs);
    child.on("error", () => resolve(null));
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return status === 0 ? null : `scripts/build-worker-image.sh --cli failed (${String(status)})`;
}
