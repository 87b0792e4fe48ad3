/**
 * A pull request body that closes issue `issueNumber` when merged: `body` followed by a
 * `Closes #N` line, unless the body already says so (close/fix/resolve in any form).
 */
export function linkPullRequestToIssue(body: string, issueNumber: number): string {
  const alreadyLinked = new RegExp(`\\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\\s+#${issueNumber}\\b`, "i");
  if (alreadyLinked.test(body)) return body;
  const trimmed = body.trimEnd();
  return `${trimmed}${trimmed === "" ? "" : "\n\n"}Closes #${issueNumber}\n`;
}
