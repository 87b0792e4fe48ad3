/** Trailer naming the task a commit carries, so landed work can be found from git alone. */
export const taskTrailer = "Longshot-Task";

/** `message` with a `Longshot-Task: <taskId>` trailer, added to existing trailers if there are any. */
export function withTaskTrailer(message: string, taskId: string): string {
  const trimmed = message.replace(/\s+$/, "");
  const trailer = `${taskTrailer}: ${taskId}`;
  if (trimmed.split("\n").includes(trailer)) return `${trimmed}\n`;
  const paragraphs = trimmed.split(/\n\s*\n/);
  const last = paragraphs.at(-1) ?? "";
  const lastIsTrailers =
    paragraphs.length > 1 && last.split("\n").every((line) => /^[A-Za-z0-9-]+: /.test(line));
  return lastIsTrailers ? `${trimmed}\n${trailer}\n` : `${trimmed}\n\n${trailer}\n`;
}
