/** GitHub rejects pull request, issue and comment bodies longer than 65,536 characters. */
const limit = 65_000;

/** `body`, cut at a line break with a note when it is longer than GitHub accepts. */
export function fitBody(body: string): string {
  if (body.length <= limit) return body;
  const note = "\n\n… (truncated: the full report is in the run's artifacts and `longshot report`)\n";
  const head = body.slice(0, limit - note.length);
  const cut = head.lastIndexOf("\n");
  return `${cut > limit / 2 ? head.slice(0, cut) : head}${note}`;
}
