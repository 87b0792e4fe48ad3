import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mergeVerdict } from "./auto-merge.js";
import { nextRunBudget } from "./budget.js";
import { capabilityEntry, withCapability } from "./capabilities.js";
import { followUpRequest, pendingFeedback, replyText } from "./feedback.js";
import { gapIssueBody, goalExcerpt, rankGapTasks } from "./gap-issues.js";
import type { ReviewItem } from "./watch-api.js";
import type { IssueRecord } from "./watch-journal.js";
import { verify } from "./webhook-receiver.js";

const record = (overrides: Partial<IssueRecord> = {}): IssueRecord => ({
  number: 7,
  title: "Search widgets by name",
  body: "Users type part of a name\nand see matching widgets.\n\nDetails below.",
  url: "https://github.com/acme/w/issues/7",
  branch: "longshot/issue-7",
  phase: "open",
  pull: 9,
  pullUrl: "https://github.com/acme/w/pull/9",
  statusCommentId: null,
  runs: [],
  handledFeedback: [],
  retryCommentId: null,
  merged: null,
  note: "",
  ...overrides,
});

const run = (runId: string, costUsd: number, startedAt: number, status: string | null = "green") => ({
  runId,
  purpose: "build" as const,
  feedback: [],
  capUsd: null,
  startedAt,
  endedAt: null,
  status,
  costUsd,
  before: null,
  pushed: null,
  published: true,
  problem: null,
});

describe("review feedback", () => {
  const item = (fields: Partial<ReviewItem>): ReviewItem => ({
    kind: "comment",
    id: 1,
    state: null,
    body: "",
    author: "alice",
    path: null,
    line: null,
    url: null,
    ...fields,
  });

  it("is inline comments and the text of reviews asking for changes, never approvals or longshot's own words", () => {
    const pending = pendingFeedback(
      [
        item({ kind: "review", id: 1, state: "APPROVED", body: "Looks good" }),
        item({ kind: "review", id: 2, state: "CHANGES_REQUESTED", body: "Handle empty names." }),
        item({ kind: "review", id: 3, state: "COMMENTED", body: "" }),
        item({ kind: "comment", id: 4, body: "Use a Map here.", path: "src/search.ts", line: 12 }),
        item({ kind: "comment", id: 5, body: "<!-- longshot:reply r1 --> done" }),
        item({ kind: "comment", id: 6, body: "Old, already handled." }),
        item({ kind: "review", id: 7, state: "DISMISSED", body: "never mind" }),
      ],
      new Set(["comment-6"]),
    );
    expect(pending.map((entry) => entry.id)).toEqual(["review-2", "comment-4"]);
    const request = followUpRequest(record(), 9, pending);
    expect(request).toContain("Address the review of pull request #9 (issue #7: Search widgets by name)");
    expect(request).toContain("1. @alice (changes requested): Handle empty names.");
    expect(request).toContain("2. @alice on src/search.ts line 12: Use a Map here.");
  });

  it("answers the reviewers with what changed, or says plainly that nothing was pushed", () => {
    const feedback = pendingFeedback([item({ id: 4, body: "Use a Map here." })], new Set());
    const green = replyText({
      runId: "r1",
      status: "green",
      feedback,
      commits: ["abc123 Use a Map"],
      tasks: [{ title: "Index names", summary: "A Map from name to widget." }],
      problem: null,
    });
    expect(green).toContain("<!-- longshot:reply r1 -->");
    expect(green).toContain("@alice: addressed in run `r1` (1 commit(s) pushed");
    expect(green).toContain("- Index names — A Map from name to widget.");
    const red = replyText({ runId: "r2", status: "red", feedback, commits: [], tasks: [], problem: null });
    expect(red).toContain("could not address this review (it ended red); nothing was pushed");
  });
});

describe("budgets", () => {
  const now = Date.UTC(2026, 2, 3, 15);
  const yesterday = Date.UTC(2026, 2, 2, 23);
  it("caps a run at the least of what is left, and waits when a budget is spent", () => {
    const issue = record({ runs: [run("r1", 2, yesterday)] });
    const other = record({ number: 8, runs: [run("r2", 3, now - 1000)] });
    expect(nextRunBudget(issue, [issue, other], { issueUsd: 10, dailyUsd: 5, runUsd: 4 }, now)).toEqual({
      capUsd: 2,
    });
    expect(
      nextRunBudget(issue, [issue, other], { issueUsd: null, dailyUsd: null, runUsd: null }, now),
    ).toEqual({ capUsd: null });
    expect(
      nextRunBudget(issue, [issue, other], { issueUsd: 2, dailyUsd: null, runUsd: null }, now),
    ).toMatchObject({ wait: expect.stringContaining("issue's budget of $2.00 is spent") });
    expect(
      nextRunBudget(issue, [issue, other], { issueUsd: null, dailyUsd: 3, runUsd: null }, now),
    ).toMatchObject({ wait: expect.stringContaining("after midnight UTC") });
  });
});

describe("capabilities", () => {
  it("adds one entry per merged pull request in the issue's words, with links to the runs", () => {
    const merged = record({ runs: [run("r1", 0, 0), run("r2", 0, 0, "red"), run("r3", 0, 0)] });
    const entry = capabilityEntry(merged, { number: 9, url: "https://github.com/acme/w/pull/9" });
    expect(entry).toBe(
      "- **Search widgets by name**: Users type part of a name and see matching widgets. ([#7](https://github.com/acme/w/issues/7); pull request [#9](https://github.com/acme/w/pull/9); runs `r1`, `r3`) <!-- longshot:capability 9 -->",
    );
    const created = withCapability(null, entry, 9)!;
    expect(created.startsWith("# Capabilities\n")).toBe(true);
    expect(created.endsWith(`\n\n${entry}\n`)).toBe(true);
    expect(withCapability(created, entry, 9)).toBeNull();
    expect(withCapability("# Mine\n- old", entry, 9)).toBe(`# Mine\n- old\n${entry}\n`);
  });
});

describe("gap issues", () => {
  const goal =
    "# Widgets\n\nWidgets can be listed.\n\n## Search\n\nPeople find widgets by typing part of their name; results appear as they type.\n\n- Export to CSV";
  it("quote the goal passage the gap is about, and follow the fixed template", () => {
    const excerpt = goalExcerpt(goal, "Search widgets by part of their name while typing");
    expect(excerpt).toBe("People find widgets by typing part of their name; results appear as they type.");
    const body = gapIssueBody({
      excerpt,
      goalPath: "SPEC.md",
      gap: "No search yet.",
      acceptance: ["typing `wid` lists widget"],
      pull: 9,
      buildLabel: "longshot",
      title: "Add search",
    });
    expect(body).toMatch(/^## Goal excerpt\n\nFrom `SPEC.md`:\n\n> People find widgets/);
    expect(body).toContain(
      "## Gap\n\nNo search yet.\n\n## Acceptance criteria\n\n- [ ] typing `wid` lists widget",
    );
    expect(body).toContain("Add the `longshot` label to have it built.");
    expect(body).toMatch(/<!-- longshot:gap pr-9 [0-9a-f]{16} -->/);
  });

  it("files independent proposals first, by priority", () => {
    const ranked = rankGapTasks({
      summary: "",
      tasks: [
        { key: "a", spec: { title: "A", description: "a", priority: 90, dependsOn: ["b"] } },
        { key: "b", spec: { title: "B", description: "b", priority: 20 } },
        { key: "c", spec: { title: "C", description: "c", priority: 60 } },
      ],
    });
    expect(ranked.map((task) => task.key)).toEqual(["c", "b", "a"]);
  });
});

describe("auto-merge verdict", () => {
  it("needs required checks, all of them finished and green", () => {
    expect(mergeVerdict("main", [], [{ name: "ci", ok: true, done: true }])).toMatchObject({
      ok: false,
      reason: expect.stringContaining("requires no status checks"),
    });
    expect(mergeVerdict("main", ["ci", "lint"], [{ name: "ci", ok: true, done: true }])).toEqual({
      ok: false,
      reason: "waiting for the required check lint",
    });
    expect(mergeVerdict("main", ["ci"], [{ name: "ci", ok: false, done: false }])).toEqual({
      ok: false,
      reason: "waiting for the required check ci",
    });
    expect(
      mergeVerdict(
        "main",
        ["ci"],
        [
          { name: "ci", ok: true, done: true },
          { name: "ci", ok: false, done: true },
        ],
      ),
    ).toEqual({ ok: false, reason: "the required check ci failed" });
    expect(mergeVerdict("main", ["ci"], [{ name: "ci", ok: true, done: true }])).toEqual({ ok: true });
  });
});

describe("webhook signatures", () => {
  it("accept only the HMAC of the exact body under the secret", () => {
    const body = Buffer.from('{"action":"opened"}');
    const good = `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`;
    expect(verify("s3cret", body, good)).toBe(true);
    expect(verify("other", body, good)).toBe(false);
    expect(verify("s3cret", Buffer.from('{"action":"closed"}'), good)).toBe(false);
    expect(verify("s3cret", body, "sha1=abc")).toBe(false);
    expect(verify("s3cret", body, "")).toBe(false);
  });
});
