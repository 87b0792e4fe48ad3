import { describe, expect, it } from "vitest";
import { linkPullRequestToIssue } from "./link-pull-request-to-issue.js";
import { findRunMarker, runMarker } from "./run-marker.js";

describe("linkPullRequestToIssue", () => {
  it("adds a closing reference after the body", () => {
    expect(linkPullRequestToIssue("# Report\n\ngreen\n", 12)).toBe("# Report\n\ngreen\n\nCloses #12\n");
    expect(linkPullRequestToIssue("", 3)).toBe("Closes #3\n");
  });

  it("keeps a body that already closes the issue, and still links a different one", () => {
    expect(linkPullRequestToIssue("Fixes #12", 12)).toBe("Fixes #12");
    expect(linkPullRequestToIssue("resolved #12.", 12)).toBe("resolved #12.");
    expect(linkPullRequestToIssue("Closes #123", 12)).toBe("Closes #123\n\nCloses #12\n");
  });
});

describe("run markers", () => {
  it("round-trips a run id through a comment", () => {
    const comment = `${runMarker("r20261121-104955-3fa2")}\nlongshot started`;
    expect(findRunMarker(comment)).toBe("r20261121-104955-3fa2");
    expect(findRunMarker("just a comment <!-- other -->")).toBeNull();
  });
});
