/** A repository on a GitHub host. */
export interface GitHubRepository {
  /** Host name with port when not the default one: `github.com`, `ghe.example.com:8443`. */
  readonly host: string;
  readonly owner: string;
  readonly repo: string;
}

const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/;
const name = /^[A-Za-z0-9_.-]+$/;

/**
 * Owner and repository of a GitHub remote URL, or null when the URL is not one. Accepts the
 * https form (`https://github.com/o/r.git`, with or without `.git`, credentials or a port),
 * the ssh forms (`git@github.com:o/r.git`, `ssh://git@github.com:22/o/r`) and `git://`.
 */
export function parseGitHubRemote(url: string): GitHubRepository | null {
  const trimmed = url.trim();
  const scp = scpLike.exec(trimmed);
  if (scp !== null && !trimmed.includes("://")) {
    const [, host = "", owner = "", repo = ""] = scp;
    return valid(host, owner, repo);
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if (!["https:", "http:", "ssh:", "git:", "git+ssh:", "ssh+git:"].includes(parsed.protocol)) return null;
  const segments = parsed.pathname.split("/").filter((segment) => segment !== "");
  if (segments.length !== 2) return null;
  const [owner = "", repo = ""] = segments;
  const isWeb = parsed.protocol === "https:" || parsed.protocol === "http:";
  return valid(isWeb ? parsed.host : parsed.hostname, owner, repo.replace(/\.git$/, ""));
}

/**
 * The REST API address for a GitHub host: `https://api.github.com` for github.com, the
 * Enterprise Server form `https://<host>/api/v3` otherwise.
 */
export function apiUrlFor(host: string): string {
  return host === "github.com" || host === "www.github.com"
    ? "https://api.github.com"
    : `https://${host}/api/v3`;
}

function valid(host: string, owner: string, repo: string): GitHubRepository | null {
  if (host === "" || !name.test(owner) || !name.test(repo) || repo === "." || repo === "..") return null;
  return { host: host.toLowerCase(), owner, repo };
}
