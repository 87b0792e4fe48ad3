import type { Identity } from "../types.js";

/** Environment that makes git use exactly these identities (and date), whatever its config says. */
export function identityEnvironment(
  author: Identity,
  committer: Identity,
  date?: Date,
): Record<string, string> {
  const environment: Record<string, string> = {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
  if (date !== undefined) {
    const stamp = `@${Math.floor(date.getTime() / 1000)} +0000`;
    environment.GIT_AUTHOR_DATE = stamp;
    environment.GIT_COMMITTER_DATE = stamp;
  }
  return environment;
}
