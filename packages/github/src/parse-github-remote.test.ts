import { describe, expect, it } from "vitest";
import { apiUrlFor, parseGitHubRemote } from "./parse-github-remote.js";

describe("parseGitHubRemote", () => {
  it.each([
    ["https://github.com/acme/widgets.git", "github.com", "acme", "widgets"],
    ["https://github.com/acme/widgets", "github.com", "acme", "widgets"],
    ["https://github.com/acme/widgets/", "github.com", "acme", "widgets"],
    ["https://x-access-token:secret@github.com/acme/widgets.git", "github.com", "acme", "widgets"],
    ["http://127.0.0.1:8080/acme/widgets.git", "127.0.0.1:8080", "acme", "widgets"],
    ["git@github.com:acme/widgets.git", "github.com", "acme", "widgets"],
    ["git@github.com:acme/widgets", "github.com", "acme", "widgets"],
    ["ssh://git@github.com/acme/widgets.git", "github.com", "acme", "widgets"],
    ["ssh://git@ghe.example.com:2222/acme/my.repo.git", "ghe.example.com", "acme", "my.repo"],
    ["git://github.com/acme/widgets.git", "github.com", "acme", "widgets"],
  ])("reads %s", (url, host, owner, repo) => {
    expect(parseGitHubRemote(url)).toEqual({ host, owner, repo });
  });

  it.each([
    "/srv/git/widgets.git",
    "../widgets",
    "file:///srv/git/acme/widgets.git",
    "https://github.com/acme",
    "https://github.com/acme/widgets/tree/main",
    "git@github.com:widgets.git",
    "not a url",
  ])("rejects %s", (url) => {
    expect(parseGitHubRemote(url)).toBeNull();
  });

  it("derives the API address of github.com and of an Enterprise host", () => {
    expect(apiUrlFor("github.com")).toBe("https://api.github.com");
    expect(apiUrlFor("ghe.example.com")).toBe("https://ghe.example.com/api/v3");
  });
});
