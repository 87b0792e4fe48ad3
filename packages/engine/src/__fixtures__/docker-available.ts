import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const buildScript = fileURLToPath(new URL("../../../../scripts/build-worker-image.sh", import.meta.url));

/**
 * Empty when the Docker engine answers and the worker image exists (built offline when
 * missing); otherwise why the Docker tests cannot run. With LONGSHOT_REQUIRE_DOCKER=1 (CI) an
 * unusable engine throws instead, so the tests cannot silently skip there.
 */
export function dockerProblem(): string {
  const ping = spawnSync("docker", ["version", "--format", "{{.Server.Version}}"], { encoding: "utf8" });
  let problem = "";
  if (ping.status !== 0) problem = `no Docker engine answers (${ping.stderr?.trim() || "docker not found"})`;
  else {
    const build = spawnSync("bash", [buildScript], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    if (build.status !== 0) problem = `scripts/build-worker-image.sh failed: ${build.stderr.trim()}`;
  }
  if (problem !== "" && process.env.LONGSHOT_REQUIRE_DOCKER === "1") {
    throw new Error(`LONGSHOT_REQUIRE_DOCKER=1 but ${problem}`);
  }
  if (problem !== "") process.stderr.write(`\n*** SKIPPING the engine's Docker tests: ${problem}. ***\n\n`);
  return problem;
}
