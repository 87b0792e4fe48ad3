import { describe, expect, it } from "vitest";
import { bareGit, never, type WatchFixture, watchFixturePerTest } from "./__fixtures__/watch-fixture.js";
import { newIssueRecord } from "./watch-journal.js";

const openFixture = watchFixturePerTest();

const statusComments = (fixture: WatchFixture, number: number) =>
  fixture.github.issues
    .find((issue) => issue.number === number)!
    .comments.filter((comment) => comment.body.includes(`longshot:status ${number}`));

describe("RepoWatcher", () => {
  it("builds a labelled issue into a pull request from its own branch, and does nothing more when nothing changed", async () => {
    const fixture = await openFixture();
    const issue = fixture.github.addIssue({
      title: "List widgets",
      body: "A list command.",
      labels: ["longshot"],
    });
    fixture.github.addIssue({ title: "Unrelated", labels: ["bug"] });
    const watcher = fixture.watcher();
    const report = await watcher.cycle(never);
    expect(report.steps).toEqual([`#${issue.number}: build`]);
    expect(fixture.runs.calls).toMatchObject([
      {
        kind: "start",
        baseBranch: `longshot/issue-${issue.number}`,
        request: "List widgets\n\nA list command.",
      },
    ]);
    expect(fixture.github.pulls).toMatchObject([
      { head: `longshot/issue-${issue.number}`, base: "main", title: "List widgets" },
    ]);
    expect(fixture.github.pulls[0]!.body).toContain(`Closes #${issue.number}`);
    expect(await bareGit(fixture, ["show", `refs/heads/longshot/issue-${issue.number}:work/r-1.txt`])).toBe(
      "r-1",
    );
    expect(fixture.journal.get(issue.number)).toMatchObject({
      phase: "open",
      pull: fixture.github.pulls[0]!.number,
    });
    const quiet = await watcher.cycle(never);
    expect(quiet).toMatchObject({ ran: false, steps: [] });
    expect(fixture.runs.calls).toHaveLength(1);
    expect(statusComments(fixture, issue.number)).toHaveLength(1);
  });

  it("starts nothing while the kill label is on any open issue, and drains a run when it appears", async () => {
    const fixture = await openFixture();
    const issue = fixture.github.addIssue({ title: "List widgets", labels: ["longshot"] });
    const stopper = fixture.github.addIssue({ title: "Stop everything", labels: ["longshot-stop"] });
    const watcher = fixture.watcher();
    expect(await watcher.cycle(never)).toMatchObject({ killed: true, ran: false });
    expect(fixture.runs.calls).toEqual([]);
    expect(statusComments(fixture, issue.number)[0]!.body).toContain(
      "the `longshot-stop` label stops every run",
    );

    fixture.github.removeLabel(stopper.number, "longshot-stop");
    fixture.runs.hold = true;
    const running = watcher.cycle(never);
    await until(() => fixture.runs.calls.length === 1);
    fixture.github.addLabel(stopper.number, "longshot-stop");
    await running;
    // Drained, not published: no pull request, the run waits in the journal.
    expect(fixture.github.pulls).toEqual([]);
    expect(fixture.journal.get(issue.number)!.runs).toMatchObject([
      { runId: "r-1", published: false, status: null },
    ]);
    expect(await watcher.cycle(never)).toMatchObject({ killed: true, ran: false });

    fixture.github.removeLabel(stopper.number, "longshot-stop");
    const resumed = await fixture.watcher().cycle(never);
    expect(resumed.steps).toEqual([`#${issue.number}: finish run r-1`]);
    expect(fixture.runs.calls.map((call) => [call.kind, call.runId])).toEqual([
      ["start", "r-1"],
      ["resume", "r-1"],
    ]);
    expect(fixture.github.pulls).toHaveLength(1);
  });

  it("keeps within the issue's and the day's budget, capping each run at what is left", async () => {
    const fixture = await openFixture();
    const first = fixture.github.addIssue({ title: "One", labels: ["longshot"] });
    const second = fixture.github.addIssue({ title: "Two", labels: ["longshot"] });
    fixture.runs.costUsd = 3;
    const watcher = fixture.watcher({ issueBudgetUsd: 5, dailyBudgetUsd: 4, runBudgetUsd: 10 });
    await watcher.cycle(never);
    expect(fixture.runs.calls[0]!.capUsd).toBe(4);
    await watcher.cycle(never);
    expect(fixture.runs.calls[1]!.capUsd).toBe(1);
    // $6 spent today: nothing more starts, and the issues say why.
    const third = fixture.github.addIssue({ title: "Three", labels: ["longshot"] });
    expect(await watcher.cycle(never)).toMatchObject({ ran: false });
    expect(fixture.runs.calls).toHaveLength(2);
    expect(statusComments(fixture, third.number)[0]!.body).toContain("today's budget of $4.00 is spent");
    // The next day there is money again, but each issue keeps its own budget.
    fixture.clock.advance(24 * 3600 * 1000);
    await watcher.cycle(never);
    expect(fixture.runs.calls[2]).toMatchObject({ capUsd: 4 });
    expect([first.number, second.number].map((number) => fixture.journal.get(number)!.runs.length)).toEqual([
      1, 1,
    ]);
  });

  it("marks a red build failed without a pull request, and builds it again on /longshot retry", async () => {
    const fixture = await openFixture();
    const issue = fixture.github.addIssue({ title: "List widgets", labels: ["longshot"] });
    fixture.runs.statuses = ["red"];
    const watcher = fixture.watcher();
    await watcher.cycle(never);
    expect(fixture.github.pulls).toEqual([]);
    expect(fixture.journal.get(issue.number)!.phase).toBe("failed");
    expect(statusComments(fixture, issue.number)[0]!.body).toContain("/longshot retry");
    expect(await watcher.cycle(never)).toMatchObject({ ran: false });
    fixture.github.addComment(issue.number, "/longshot retry", "octocat");
    expect((await watcher.cycle(never)).steps).toEqual([`#${issue.number}: build`]);
    expect(fixture.github.pulls).toHaveLength(1);
    expect(await watcher.cycle(never)).toMatchObject({ ran: false });
    expect(fixture.runs.calls).toHaveLength(2);
  });

  it("finds its status comment after a crash between writing it and recording it", async () => {
    const fixture = await openFixture();
    const issue = fixture.github.addIssue({ title: "List widgets", labels: ["longshot"] });
    // The previous process recorded the issue, wrote its status comment, and died before noting the comment's id.
    fixture.journal.put(
      newIssueRecord({ number: issue.number, title: issue.title, body: "", url: "http://example.invalid/1" }),
    );
    const earlier = fixture.github.addComment(
      issue.number,
      `<!-- longshot:status ${issue.number} -->\n**longshot** · building`,
      "longshot-bot",
    );
    await fixture.watcher().cycle(never);
    expect(statusComments(fixture, issue.number).map((comment) => comment.id)).toEqual([earlier.id]);
    expect(statusComments(fixture, issue.number)[0]!.body).toContain("pull request open");
    expect(fixture.journal.get(issue.number)!.statusCommentId).toBe(earlier.id);
  });

  it("merges only when every required check is green, and never without required checks", async () => {
    const fixture = await openFixture();
    fixture.github.addIssue({ title: "List widgets", labels: ["longshot"] });
    const watcher = fixture.watcher({ autoMerge: true });
    await watcher.cycle(never);
    const pull = fixture.github.pulls[0]!;
    await watcher.cycle(never);
    expect(pull.merged).toBe(false);
    const status = () => statusComments(fixture, 1)[0]!.body;
    expect(status()).toContain("main requires no status checks");
    fixture.github.requireChecks("main", ["ci"]);
    await watcher.cycle(never);
    expect(status()).toContain("waiting for the required check ci");
    const head = await bareGit(fixture, ["rev-parse", `refs/heads/${pull.head}`]);
    fixture.github.setCheck(head, "ci", "failure");
    await watcher.cycle(never);
    expect(status()).toContain("the required check ci failed");
    expect(pull.merged).toBe(false);
    fixture.github.setCheck(head, "ci", "success");
    const merging = await watcher.cycle(never);
    expect(merging.steps).toContain("#1: auto-merge #2: merged");
    expect(pull.merged).toBe(true);
    const after = await watcher.cycle(never);
    expect(after.steps).toEqual(["#1: pull request #2 merged", "#1: capabilities and gap analysis"]);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let round = 0; round < 2000 && !check(); round += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error("condition never held");
}
