const markerPattern = /<!--\s*longshot:run\s+([A-Za-z0-9._-]+)\s*-->/;

/**
 * The hidden marker longshot puts in every comment it writes on an issue. An issue with a
 * marker comment has been handled and is skipped by issue mode; delete the comment to have
 * the issue built again.
 */
export function runMarker(runId: string): string {
  return `<!-- longshot:run ${runId} -->`;
}

/** The run id of the first marker in `text`, or null when it has none. */
export function findRunMarker(text: string): string | null {
  return markerPattern.exec(text)?.[1] ?? null;
}
