import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileGapIssue, type ProposeIssue } from "./file-gap-issue.js";
import { GitHubClient } from "./github-client.js";
import { issueFromGapAnalysis } from "./issue-from-gap-analysis.js";
import { runIssueMode } from "./issue-mode.js";
import { type FakeGitHub, startFakeGitHub } from "./testing/index.js";

const token = "ghs_gapToken1234567890";
const signal = new AbortController().signal;
const goal = "# Goal\n\nA CLI with `greet` and `farewell` commands.\n";
const capabilities = "# Capabilities\n\n- `greet`\n";
let github: FakeGitHub;
let client: GitHubClient;

beforeEach(async () => {
  github = await startFakeGitHub({ token });
  client = new GitHubClient({ token, owner: github.owner, repo: github.repo, baseUrl: github.apiUrl });
});
afterEach(async () => {
  await github.close();
});

/** A proposer that only answers for the documents it was written for. */
const propose: ProposeIssue = async (seenGoal, seenCapabilities) => {
  if (seenGoal !== goal || seenCapabilities !== capabilities) throw new Error("wrong documents");
  return issueFromGapAnalysis({
    summary: "The farewell command is missing.",
    tasks: [
      {
        key: "docs",
        spec: { title: "Document farewell", description: "README section.", dependsOn: ["farewell"] },
      },
      {
        key: "farewell",
        spec: {
          title: "Add the farewell command",
          description: "Print a goodbye.",
          acceptance: ["`cli farewell Ada` prints `Goodbye, Ada`"],
          scope: ["src/farewell.ts"],
          priority: 80,
        },
      },
    ],
  });
};

describe("fileGapIssue", () => {
  it("files the next issue with the label, once per cycle, and not again while it is open", async () => {
    const first = await fileGapIssue({ client, label: "longshot", goal, capabilities, propose, signal });
    expect(first.kind).toBe("filed");
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0];
    expect(issue?.title).toBe("Add the farewell command");
    expect(issue?.labels).toEqual(["longshot"]);
    expect(issue?.body).toContain("- `cli farewell Ada` prints `Goodbye, Ada`");
    expect(issue?.body).toContain("The farewell command is missing.");
    expect(issue?.body).toContain("- Document farewell");

    const second = await fileGapIssue({ client, label: "longshot", goal, capabilities, propose, signal });
    expect(second).toMatchObject({ kind: "duplicate", issue: { number: issue?.number } });
    expect(github.issues).toHaveLength(1);
  });

  it("files nothing when the analysis finds no gap", async () => {
    const none = await fileGapIssue({
      client,
      label: "longshot",
      goal,
      capabilities,
      propose: async () => null,
      signal,
    });
    expect(none).toEqual({ kind: "no-gap" });
    expect(github.issues).toEqual([]);
  });

  it("in issue mode, files one issue when none is waiting and builds it in the same cycle", async () => {
    const requests: string[] = [];
    const result = await runIssueMode({
      client,
      label: "longshot",
      gap: { goal, capabilities, propose },
      startRun: async (request, _issue, context) => {
        requests.push(request);
        await context.started("r-gap");
        return { runId: "r-gap", status: "green", reportMarkdown: "done", branch: null };
      },
      signal,
    });
    expect(result.gap?.kind).toBe("filed");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^Add the farewell command\n\nPrint a goodbye\./);

    const waiting = github.addIssue({ title: "User asked for this", labels: ["longshot"] });
    const next = await runIssueMode({
      client,
      label: "longshot",
      gap: { goal, capabilities, propose },
      startRun: async (request) => {
        requests.push(request);
        return { runId: "r-user", status: "green", reportMarkdown: "done", branch: null };
      },
      signal,
    });
    expect(next.gap).toBeNull();
    expect(next.handled.map((entry) => entry.issue.number)).toEqual([waiting.number]);
    expect(github.issues).toHaveLength(2);
  });
});

describe("issueFromGapAnalysis", () => {
  it("returns null without proposals", () => {
    expect(issueFromGapAnalysis({ summary: "all done", tasks: [] })).toBeNull();
  });
});
