/** The models a fake server must serve for a run of {@link sampleRunEnv}. */
export const sampleRunModels: readonly string[] = ["fake-model", "fake-alt"];

/**
 * The settings of a run on the sample library (see `createSampleRepo`) against a fake model
 * server at `url` (`swarmPolicy` plays every role): `fake-model` for each role and `fake-alt` as
 * the alternate worker, `workers` workers, the sample's build and test commands, and a health
 * check after every landing.
 */
export function sampleRunEnv(url: string, workers: number): Record<string, string> {
  return {
    LLM_BASE_URL: url,
    LLM_API_KEY: "sk-test-key-123456",
    LLM_MODEL: "fake-model",
    LLM_ALT_WORKER_MODEL: "fake-alt",
    MAX_WORKERS: String(workers),
    BUILD_COMMAND: "node scripts/build.mjs",
    TEST_COMMAND: "node --test",
    HEALTH_CHECK_INTERVAL: "1",
  };
}
