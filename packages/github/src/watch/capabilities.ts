import type { IssueRecord } from "./watch-journal.js";

const header = [
  "# Capabilities",
  "",
  "What this software can do, in the words of the issues that asked for it. longshot adds an entry",
  "each time a pull request that closes one of them is merged.",
  "",
  "",
].join("\n");

/** The hidden marker of the entry for pull request `pull`. */
export function capabilityMarker(pull: number): string {
  return `<!-- longshot:capability ${pull} -->`;
}

/**
 * The entry for a merged issue: its title and the first paragraph of its body (the user's own
 * words, flattened to one line), with links to the issue, the pull request and the runs that
 * built it.
 */
export function capabilityEntry(
  record: IssueRecord,
  pull: { readonly number: number; readonly url: string },
): string {
  const firstParagraph = record.body.trim().split(/\n\s*\n/)[0] ?? "";
  const words = firstParagraph.replace(/\s+/g, " ").trim();
  const excerpt = words.length > 400 ? `${words.slice(0, 397)}…` : words;
  const runs = record.runs.filter((run) => run.status === "green").map((run) => `\`${run.runId}\``);
  const links = [`[#${record.number}](${record.url})`, `pull request [#${pull.number}](${pull.url})`];
  if (runs.length > 0) links.push(`run${runs.length === 1 ? "" : "s"} ${runs.join(", ")}`);
  const text = excerpt === "" ? `**${record.title.trim()}**` : `**${record.title.trim()}**: ${excerpt}`;
  return `- ${text} (${links.join("; ")}) ${capabilityMarker(pull.number)}`;
}

/**
 * The capabilities file with `entry` added at the end (creating the file's header when it does
 * not exist yet); null when an entry for the same pull request is already there.
 */
export function withCapability(current: string | null, entry: string, pull: number): string | null {
  if (current?.includes(capabilityMarker(pull))) return null;
  const base = current === null || current.trim() === "" ? header : current;
  return `${base.endsWith("\n") ? base : `${base}\n`}${entry}\n`;
}
