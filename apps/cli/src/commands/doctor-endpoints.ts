import type { Config } from "@longshot/core";
import { checkEndpoints, resolveEndpoints } from "@longshot/llm";
import type { DoctorCheck } from "./doctor-check.js";

/**
 * Each model endpoint: does it answer, which models does it list, how fast. Keys are never
 * shown. Nothing when no endpoint resolves: the model set-up check says so already.
 */
export async function endpointChecks(config: Config): Promise<DoctorCheck[]> {
  const signal = AbortSignal.timeout(30_000);
  let resolved: Awaited<ReturnType<typeof resolveEndpoints>>;
  try {
    resolved = await resolveEndpoints(config, { signal });
  } catch {
    return [];
  }
  const checks = await checkEndpoints(resolved.endpoints, { signal, timeoutMs: 10_000 });
  return checks.map((check) => ({
    name: `endpoint ${check.name}`,
    status: check.ok ? "ok" : "fail",
    detail: check.ok
      ? `${check.url} answers in ${Math.round(check.latencyMs ?? 0)} ms; models: ${check.models.slice(0, 6).join(", ") || "(none listed)"}${resolved.source === "local" ? " (found locally)" : ""}`
      : `${check.url} does not answer: ${check.error ?? `status ${check.status}`}`,
  }));
}
