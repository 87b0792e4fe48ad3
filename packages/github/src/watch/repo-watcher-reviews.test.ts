import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bareGit, never, type WatchFixture, watchFixturePerTest } from "./__fixtures__/watch-fixture.js";
import type { ProposeGap } from "./run-driver.js";

const openFixture = watchFixturePerTest();

const commentsOf = (fixture: WatchFixture, number: number) =>
  fixture.github.issues.find((issue) => issue.number === number)!.comments;

describe("RepoWatcher after the pull request is open", () => {
  it("turns review feedback into one follow-up run on the same branch, pushes it and answers once", async () => {
    const fixture = await openFixture();
    const issue = fixture.github.addIssue({ title: "List widgets", labels: ["longshot"] });
    const watcher = fixture.watcher();
    await watcher.cycle(never);
    const pull = fixture.github.pulls[0]!;
    const before = await bareGit(fixture, ["rev-parse", `refs/heads/${pull.head}`]);
    fixture.github.addReview(pull.number, {
      state: "CHANGES_REQUESTED",
      user: "alice",
      body: "Sort the list by name.",
      comments: [{ path: "src/list.ts", line: 3, body: "This loop is quadratic." }],
    });
    const report = await watcher.cycle(never);
    expect(report.steps).toEqual([`#${issue.number}: follow up 2 review item(s) on #${pull.number}`]);
    const call = fixture.runs.calls[1]!;
    expect(call).toMatchObject({ kind: "start", baseBranch: pull.head });
    expect(call.request).toContain("1. @alice (changes requested): Sort the list by name.");
    expect(call.request).toContain("2. @alice on src/list.ts line 3: This loop is quadratic.");
    const after = await bareGit(fixture, ["rev-parse", `refs/heads/${pull.head}`]);
    expect(await bareGit(fixture, ["rev-list", "--count", `${before}..${after}`])).toBe("1");
    const replies = commentsOf(fixture, pull.number).filter((comment) =>
      comment.body.includes("longshot:reply"),
    );
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("@alice: addressed in run `r-2`");
    expect(replies[0]!.body).toContain("Work of r-2");
    // Handled feedback is not addressed again, by this process or a new one.
    expect(await watcher.cycle(never)).toMatchObject({ ran: false });
    expect(await fixture.watcher().cycle(never)).toMatchObject({ ran: false });
    expect(fixture.runs.calls).toHaveLength(2);
    // New feedback is.
    fixture.github.addReview(pull.number, { state: "COMMENTED", user: "bob", body: "Also add a limit." });
    await watcher.cycle(never);
    expect(fixture.runs.calls).toHaveLength(3);
    expect(fixture.runs.calls[2]!.request).toContain("@bob: Also add a limit.");
    expect(fixture.runs.calls[2]!.request).not.toContain("quadratic");
  });

  it("does not overwrite commits a person pushed to the branch during a follow-up", async () => {
    const fixture = await openFixture();
    fixture.github.addIssue({ title: "List widgets", labels: ["longshot"] });
    const watcher = fixture.watcher();
    await watcher.cycle(never);
    const pull = fixture.github.pulls[0]!;
    fixture.github.addReview(pull.number, { state: "COMMENTED", user: "alice", body: "Rename it." });
    // Someone pushes to the branch between the base being fetched and the run's push.
    const original = fixture.runs.start.bind(fixture.runs);
    fixture.runs.start = async (input) => {
      const outcome = await original(input);
      await fixture.repo.git([
        "push",
        "-q",
        fixture.bare,
        `${await fixture.repo.sha("main")}:refs/heads/person`,
      ]);
      const theirs = await bareGit(fixture, [
        "commit-tree",
        "-p",
        `refs/heads/${pull.head}`,
        "-m",
        "by a person",
        `refs/heads/${pull.head}^{tree}`,
      ]);
      await bareGit(fixture, ["update-ref", `refs/heads/${pull.head}`, theirs]);
      return outcome;
    };
    await watcher.cycle(never);
    expect(await bareGit(fixture, ["log", "-1", "--format=%s", `refs/heads/${pull.head}`])).toBe(
      "by a person",
    );
    const reply = commentsOf(fixture, pull.number).find((comment) =>
      comment.body.includes("longshot:reply"),
    )!;
    expect(reply.body).toContain("could not address this review (GitHub refused the push");
  });

  it("after a merge, adds the capability on main and files one gap issue for approval, once", async () => {
    const fixture = await openFixture();
    const issue = fixture.github.addIssue({
      title: "List widgets",
      body: "People can list every widget.",
      labels: ["longshot"],
    });
    fixture.github.addIssue({ title: "Add search", labels: ["longshot-proposed"] });
    let proposals = 0;
    const propose: ProposeGap = async (goal, capabilities) => {
      proposals += 1;
      expect(goal).toContain("searched by name");
      expect(capabilities).toContain("**List widgets**: People can list every widget.");
      return {
        summary: "search is missing",
        tasks: [
          {
            key: "search",
            spec: {
              title: "Add search",
              description: "Nothing searches.",
              acceptance: ["search finds by name"],
              priority: 90,
            },
          },
          {
            key: "sort",
            spec: {
              title: "Sort by name",
              description: "Lists are unsorted.",
              acceptance: ["sorted"],
              priority: 50,
            },
          },
          {
            key: "page",
            spec: { title: "Paginate", description: "No pages.", acceptance: ["pages"], priority: 40 },
          },
        ],
      };
    };
    const watcher = fixture.watcher({ maxGapIssues: 1 }, propose);
    await watcher.cycle(never);
    await fixture.github.mergePull(fixture.github.pulls[0]!.number);
    await watcher.cycle(never);
    const capabilities = await bareGit(fixture, ["show", "refs/heads/main:CAPABILITIES.md"]);
    expect(capabilities).toContain(`[#${issue.number}]`);
    const filed = fixture.github.issues.filter((entry) => entry.labels.includes("longshot-proposed"));
    // "Add search" was already open: the next proposal is filed instead, and only one.
    expect(filed.map((entry) => entry.title)).toEqual(["Add search", "Sort by name"]);
    expect(filed[1]!.body).toContain("> Widgets can be listed and searched by name.");
    expect(filed[1]!.labels).toEqual(["longshot-proposed"]);
    await watcher.cycle(never);
    await fixture.watcher({ maxGapIssues: 1 }, propose).cycle(never);
    expect(proposals).toBe(1);
    // A process killed after filing but before recording it files nothing more on restart.
    const recorded = fixture.journal.get(issue.number)!;
    fixture.journal.put({ ...recorded, merged: { capabilities: false, gap: false, filed: [] } });
    await fixture.watcher({ maxGapIssues: 1 }, propose).cycle(never);
    expect(proposals).toBe(2);
    expect(fixture.github.issues.filter((entry) => entry.labels.includes("longshot-proposed"))).toHaveLength(
      2,
    );
    expect(await bareGit(fixture, ["log", "--format=%s", "refs/heads/main"])).toMatch(
      /^Capabilities: List widgets \(#\d+\)\nMerge pull request/,
    );
    expect(fixture.journal.get(issue.number)!.merged).toEqual({
      capabilities: true,
      gap: true,
      filed: [filed[1]!.number],
    });
  });

  it("proposes the capabilities update as a pull request when main refuses direct pushes", async () => {
    const fixture = await openFixture();
    const hook = join(fixture.bare, "hooks", "pre-receive");
    writeFileSync(
      hook,
      '#!/bin/sh\nwhile read old new ref; do\n  [ "$ref" = refs/heads/main ] && { echo "main is protected" >&2; exit 1; }\ndone\nexit 0\n',
    );
    chmodSync(hook, 0o755);
    const issue = fixture.github.addIssue({ title: "List widgets", labels: ["longshot"] });
    const watcher = fixture.watcher({ maxGapIssues: 0 });
    await watcher.cycle(never);
    await fixture.github.mergePull(fixture.github.pulls[0]!.number);
    await watcher.cycle(never);
    const side = fixture.github.pulls.find(
      (pull) => pull.head === `longshot/capabilities-${fixture.github.pulls[0]!.number}`,
    );
    expect(side).toMatchObject({ base: "main", title: "Capabilities: List widgets" });
    expect(await bareGit(fixture, ["show", `refs/heads/${side!.head}:CAPABILITIES.md`])).toContain(
      "**List widgets**",
    );
    expect(fixture.journal.get(issue.number)!.note).toContain("refused a direct push");
  });
});
