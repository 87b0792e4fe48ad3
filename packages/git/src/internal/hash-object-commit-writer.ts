import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { throwIfAborted } from "@longshot/core";
import type { CommitWriter, NewCommit } from "../commit-writer.js";
import { GitCommandError } from "../errors.js";
import type { GitSession } from "../git-runner.js";
import type { Identity } from "../types.js";
import { isObjectId } from "./parse.js";

/**
 * Writes commits through one long-lived `git hash-object --stdin-paths -t commit -w`: git
 * checks and stores each commit, at the cost of a line on a pipe instead of a process per
 * commit. The commit text goes through a scratch file in `scratchDirectory`.
 */
export class HashObjectCommitWriter implements CommitWriter {
  readonly #session: GitSession;
  readonly #scratchDirectory: string;
  readonly #cwd: string;
  #sequence = 0;
  #ready: Promise<unknown>;

  constructor(session: GitSession, scratchDirectory: string, cwd: string) {
    this.#session = session;
    this.#scratchDirectory = scratchDirectory;
    this.#cwd = cwd;
    this.#ready = mkdir(scratchDirectory, { recursive: true });
  }

  async write(commit: NewCommit, options: { readonly signal?: AbortSignal } = {}): Promise<string> {
    throwIfAborted(options.signal);
    await this.#ready;
    const file = join(this.#scratchDirectory, `commit-${process.pid}-${this.#sequence++}`);
    await writeFile(file, formatCommit(commit));
    try {
      const sha = (await this.#session.request(file)).trim();
      if (!isObjectId(sha)) {
        throw new GitCommandError(["hash-object", "--stdin-paths", "-t", "commit", "-w"], this.#cwd, 0, sha);
      }
      return sha;
    } finally {
      await rm(file, { force: true });
    }
  }

  async close(): Promise<void> {
    await this.#session.close();
    await rm(this.#scratchDirectory, { recursive: true, force: true });
  }
}

/** The raw commit object `git commit-tree` would write for `commit`. */
export function formatCommit(commit: NewCommit): string {
  const stamp = `${Math.floor(commit.date.getTime() / 1000)} +0000`;
  const lines = [`tree ${commit.tree}`, ...commit.parents.map((parent) => `parent ${parent}`)];
  lines.push(
    `author ${ident(commit.author)} ${stamp}`,
    `committer ${ident(commit.committer ?? commit.author)} ${stamp}`,
  );
  return `${lines.join("\n")}\n\n${commit.message}`;
}

/** `Name <email>` with the characters git strips from identities removed. */
function ident(identity: Identity): string {
  const clean = (value: string): string => value.replace(/[<>\n\0]/g, "").trim();
  return `${clean(identity.name)} <${clean(identity.email)}>`;
}
