import { type Config, messageOf } from "@longshot/core";
import { checkRepository, setupModels } from "../run-context.js";
import type { DoctorCheck, DoctorContext } from "./doctor-check.js";

/** The repository check a run makes first (git repository, target branch, clean tree), verbatim. */
export async function repositoryProbe(config: Config, context: DoctorContext): Promise<DoctorCheck[]> {
  if (config.GIT_REPO_URL !== undefined && !context.repoGiven) {
    return [
      {
        name: "repository",
        status: "ok",
        detail: `${config.GIT_REPO_URL} (GIT_REPO_URL; cloned into longshot's workspace when a run starts)`,
      },
    ];
  }
  try {
    const { repo } = await checkRepository(context.repo, config);
    return [{ name: "repository", status: "ok", detail: `${repo} on ${config.GIT_MAIN_BRANCH}, clean` }];
  } catch (error) {
    return [{ name: "repository", status: "fail", detail: messageOf(error) }];
  }
}

/**
 * The model set-up a run makes before it starts (endpoints resolved, every role's model
 * served, at least one endpoint answering): if it fails here, a run would fail the same way.
 */
export async function modelsProbe(config: Config, context: DoctorContext): Promise<DoctorCheck[]> {
  try {
    const models = await setupModels(config, context.signal);
    return [{ name: "model setup", status: "ok", detail: `a run would use ${models.description}` }];
  } catch (error) {
    return [
      { name: "model setup", status: "fail", detail: `${messageOf(error)} (longshot demo needs no model)` },
    ];
  }
}
