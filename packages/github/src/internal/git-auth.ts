/**
 * The environment that hands `token` to one git process for `url` (empty for non-http remotes
 * and URLs that carry their own credentials): `http.<url>.extraheader` set through
 * `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`, after an empty value that drops any
 * header a checkout persisted. The token is never written to `.git/config` or git's arguments.
 */
export function gitAuthEnvironment(url: string, token: string | undefined): Record<string, string> {
  if (token === undefined || token === "" || !/^https?:\/\//i.test(url) || hasCredentials(url)) return {};
  const key = `http.${url}.extraheader`;
  return {
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: key,
    GIT_CONFIG_VALUE_0: "",
    GIT_CONFIG_KEY_1: key,
    GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basicCredential(token)}`,
  };
}

/** The basic-auth credential git sends for `token` (also a secret to redact). */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
}

function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== "" || parsed.password !== "";
  } catch {
    return false;
  }
}
