import { AbortError, throwIfAborted } from "@longshot/core";
import type { NewCommit } from "./commit-writer.js";
import { GitCommandError, GitUsageError } from "./errors.js";
import type { GitRunner } from "./git-runner.js";
import type { GitCapabilities } from "./git-version.js";
import { formatCommit } from "./internal/hash-object-commit-writer.js";
import { LooseObjectStore, treeContent } from "./internal/loose-object-store.js";
import { isObjectId } from "./internal/parse.js";
import { parseRawCommit, parseRawTree, typeOfMode, UnsupportedObject } from "./internal/parse-object.js";
import { type AnswerParser, lineAnswer, StreamConversation } from "./internal/stream-conversation.js";
import { TreeCache } from "./internal/tree-cache.js";
import { inTreeOrder } from "./internal/tree-order.js";
import type { CommitInfo, TreeEntry, UpdateRefOutcome } from "./types.js";

/** An object as stored. */
export interface GitObject {
  readonly sha: string;
  readonly type: "blob" | "tree" | "commit" | "tag";
  readonly content: Buffer;
}

/** Options of {@link GitPlumbing}. */
export interface GitPlumbingOptions {
  readonly runner: GitRunner;
  /** The repository (or worktree) directory. */
  readonly cwd: string;
  readonly capabilities: GitCapabilities;
  /** A git that answered nothing for this long is closed (and reopened when needed); default 5 s. */
  readonly idleMs?: number;
  /** Parsed tree entries kept for reads and writes to come (see {@link TreeCache}); default 16,384. */
  readonly treeCacheEntries?: number;
}

interface SignalOption {
  readonly signal?: AbortSignal;
}

/** The modes a tree entry may have (100664 only in old repositories, kept as found). */
const treeModes = new Set(["100644", "100755", "100664", "120000", "40000", "160000"]);

/**
 * Parsed tree entries kept (read or written), about 2.5 MB: the integration head's trees, which
 * the next landing merges onto, stay parsed; the rest (each landing writes a new version of every
 * directory it changed, a task's branch brings its own, and a task's base is usually hundreds of
 * landings old in a busy run) are read again from the object store when asked for, a
 * millisecond for a thousand entries. Kept small so that what it drops is dropped young, before
 * the garbage collector moves it to the old generation.
 */
const defaultTreeCacheEntries = 16_384;

/** Lock contention on a ref: retried like `Git.updateRef` does. */
const lockRetries = 5;

/**
 * Object reads, tree writes and compare-and-swap ref updates over long-lived git processes
 * (`cat-file --batch-command`, `mktree --batch`, `update-ref --stdin`): a pipe round trip per
 * operation instead of a process. Each git starts on first use, stops after `idleMs` without
 * work, and never keeps this process alive while idle. Answers match what the one-shot
 * commands of {@link Git} give. Obtained from `Git.openPlumbing()`; `close()` stops them all.
 *
 * Cancelling a request's signal rejects that request with `AbortError`; its git goes on for
 * the other callers.
 */
export class GitPlumbing {
  readonly #options: GitPlumbingOptions;
  readonly #idleMs: number;
  readonly #conversations = new Map<string, { conversation: StreamConversation; idle?: NodeJS.Timeout }>();
  readonly #trees: TreeCache;
  #loose: Promise<LooseObjectStore | null> | undefined;
  #closed = false;

  constructor(options: GitPlumbingOptions) {
    this.#options = options;
    this.#idleMs = options.idleMs ?? 5_000;
    this.#trees = new TreeCache(options.treeCacheEntries ?? defaultTreeCacheEntries);
  }

  /** The object `rev` names (peeled as the rev says), or null when it names none. */
  async readObject(rev: string, options: SignalOption = {}): Promise<GitObject | null> {
    checkRev(rev);
    if (isObjectId(rev)) {
      // A loose object is read here, without a round trip; a packed one is git's to find.
      const stored = (await this.#store())?.read(rev);
      if (stored !== null && stored !== undefined && objectTypes.has(stored.type)) {
        return { sha: rev, type: stored.type as GitObject["type"], content: stored.content };
      }
    }
    return this.#ask("cat-file", ["cat-file", "--batch-command"], `contents ${rev}\n`, objectAnswer, options);
  }

  /**
   * The object id `rev` names, or null, as `Git.revParse` answers: a full object id is returned
   * as it is, whether or not the object exists.
   */
  async resolve(rev: string, options: SignalOption = {}): Promise<string | null> {
    if (isObjectId(rev)) return rev;
    checkRev(rev);
    const info = await this.#ask(
      "cat-file",
      ["cat-file", "--batch-command"],
      `info ${rev}\n`,
      infoAnswer,
      options,
    );
    return info?.sha ?? null;
  }

  /** Metadata of the commit `rev` names, as `Git.showCommit` gives it, or null when it names no commit. */
  async readCommit(rev: string, options: SignalOption = {}): Promise<CommitInfo | null> {
    const direct = isObjectId(rev) ? await this.readObject(rev, options) : null;
    const object = direct?.type === "commit" ? direct : await this.readObject(`${rev}^{commit}`, options);
    if (object === null || object.type !== "commit") return null;
    return parseRawCommit(object.sha, object.content, this.#options.capabilities.isoUtcAsZ);
  }

  /**
   * The entries of the tree `rev` names (a tree, or a commit's tree), or null when it names none.
   * Throws `UnsupportedObject`-derived `GitUsageError` for a tree this reader cannot round-trip.
   */
  async readTree(rev: string, options: SignalOption = {}): Promise<TreeEntry[] | null> {
    const cached = this.#trees.get(rev);
    if (cached !== undefined) return [...cached];
    const object = await this.readObject(isObjectId(rev) ? rev : `${rev}^{tree}`, options);
    if (object === null) return null;
    if (object.type === "commit") return this.readTree(`${object.sha}^{tree}`, options);
    if (object.type !== "tree") return null;
    try {
      const entries = parseRawTree(object.content, object.sha.length / 2);
      this.#trees.set(object.sha, entries);
      return [...entries];
    } catch (error) {
      if (error instanceof UnsupportedObject) {
        throw new GitUsageError(`tree ${object.sha} cannot be read here: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  /** Writes a tree of `entries` (any order; names must be unique) and resolves with its id. */
  async writeTree(entries: readonly TreeEntry[], options: SignalOption = {}): Promise<string> {
    const names = new Set<string>();
    for (const entry of entries) {
      if (/[\0/]/.test(entry.name) || entry.name === "" || names.has(entry.name)) {
        throw new GitUsageError(`"${entry.name}" is not a tree entry name here (empty, a path, or twice).`, {
          fields: { name: entry.name },
        });
      }
      if (!treeModes.has(entry.mode.replace(/^0+/, "")) || !isObjectId(entry.sha)) {
        throw new GitUsageError(`${entry.mode} ${entry.sha} is not a tree entry.`, { fields: { ...entry } });
      }
      names.add(entry.name);
    }
    throwIfAborted(options.signal);
    // As git stores them: modes without leading zeros, types as the modes say, in git's order.
    const stored = inTreeOrder(
      entries.map((entry) => {
        const mode = entry.mode.replace(/^0+/, "");
        return { mode, type: typeOfMode(mode), sha: entry.sha, name: entry.name };
      }),
    );
    const store = await this.#store();
    const sha =
      store === null
        ? await this.#ask(
            "mktree",
            ["mktree", "--batch", "-z", "--missing"],
            `${entries.map((entry) => `${entry.mode} ${typeOfMode(entry.mode)} ${entry.sha}\t${entry.name}\0`).join("")}\0`,
            lineAnswer,
            options,
          )
        : store.write("tree", treeContent(stored));
    this.#trees.set(sha, stored);
    return sha;
  }

  /**
   * Loose objects are read and written by this process straight in the object directory when
   * git would write them the same way (a SHA-1 repository without shared-repository
   * permissions): no round trip to git, and no `mktree`, which opens every entry's object to
   * check its type (thousands of files for a large directory).
   */
  #store(): Promise<LooseObjectStore | null> {
    this.#loose ??= (async () => {
      const run = (args: readonly string[]) => this.#options.runner.run({ args, cwd: this.#options.cwd });
      const [paths, shared] = await Promise.all([
        run(["rev-parse", "--path-format=absolute", "--git-path", "objects", "--show-object-format"]),
        run(["config", "--get", "core.sharedRepository"]),
      ]);
      const [objects = "", format = ""] = paths.stdout.trim().split("\n");
      if (paths.exitCode !== 0 || format !== "sha1" || shared.exitCode === 0 || objects === "") return null;
      return new LooseObjectStore(objects);
    })().catch(() => null);
    return this.#loose;
  }

  /**
   * Writes `commit` straight into the object directory (the object `git commit-tree` would
   * write), or answers null where git writes objects its own way: then use a `CommitWriter`.
   */
  async writeCommit(commit: NewCommit, options: SignalOption = {}): Promise<string | null> {
    throwIfAborted(options.signal);
    for (const id of [commit.tree, ...commit.parents]) {
      if (!isObjectId(id)) throw new GitUsageError(`"${id}" is not an object id.`, { fields: { id } });
    }
    const store = await this.#store();
    return store === null ? null : store.write("commit", Buffer.from(formatCommit(commit), "utf8"));
  }

  /**
   * Compare-and-swap of the full ref `ref` to `next`, only while it is `expected` (null: absent),
   * with `message` in the reflog; a lost race is `{ ok: false, actual }`, as with `Git.updateRef`.
   */
  async updateRef(
    ref: string,
    next: string,
    expected: string | null,
    options: SignalOption & { readonly message?: string } = {},
  ): Promise<UpdateRefOutcome> {
    if (!ref.startsWith("refs/") || /\s/.test(ref)) {
      throw new GitUsageError(`updateRef needs a full ref name starting with refs/, got "${ref}".`, {
        fields: { ref },
      });
    }
    const message = (options.message ?? "longshot").replace(/\n/g, " ");
    const old = expected ?? "0".repeat(next.length);
    const input = `start\nupdate ${ref} ${next} ${old}\nprepare\ncommit\n`;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#ask(
          `update-ref ${message}`,
          ["update-ref", "-m", message, "--stdin"],
          input,
          transactionAnswer,
          options,
        );
        return { ok: true };
      } catch (error) {
        if (!(error instanceof GitCommandError)) throw error;
        // git stops at the failed transaction; the next update starts a new one.
        const actual = await this.resolve(ref, options);
        if (actual !== expected) return { ok: false, actual };
        if (attempt >= lockRetries) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * (attempt + 1)));
      }
    }
  }

  /** Stops every git this plumbing started; it cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    const open = [...this.#conversations.values()];
    this.#conversations.clear();
    for (const entry of open) clearTimeout(entry.idle);
    await Promise.all(open.map((entry) => entry.conversation.close().catch(() => undefined)));
  }

  async #ask<T>(
    key: string,
    args: readonly string[],
    input: string,
    parse: AnswerParser<T>,
    options: SignalOption,
  ): Promise<T> {
    throwIfAborted(options.signal);
    if (this.#closed) throw new GitUsageError("This GitPlumbing is closed.");
    const entry = this.#conversation(key, args);
    clearTimeout(entry.idle);
    const answer = entry.conversation.request(input, parse);
    const settled = answer.finally(() => this.#idleLater(key, entry));
    settled.catch(() => undefined);
    if (options.signal === undefined) return answer;
    const signal = options.signal;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void =>
        reject(new AbortError("The git request was cancelled.", { cause: signal.reason }));
      signal.addEventListener("abort", onAbort, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  #conversation(
    key: string,
    args: readonly string[],
  ): { conversation: StreamConversation; idle?: NodeJS.Timeout } {
    const existing = this.#conversations.get(key);
    if (existing?.conversation.open) return existing;
    const entry = { conversation: new StreamConversation(this.#options.runner, args, this.#options.cwd) };
    this.#conversations.set(key, entry);
    return entry;
  }

  #idleLater(key: string, entry: { conversation: StreamConversation; idle?: NodeJS.Timeout }): void {
    if (entry.conversation.busy || !entry.conversation.open) return;
    clearTimeout(entry.idle);
    entry.idle = setTimeout(() => {
      if (entry.conversation.busy || this.#conversations.get(key) !== entry) return;
      this.#conversations.delete(key);
      void entry.conversation.close().catch(() => undefined);
    }, this.#idleMs);
    entry.idle.unref();
  }
}

function checkRev(rev: string): void {
  if (/[\n\0]/.test(rev) || rev.trim() !== rev || rev === "") {
    throw new GitUsageError(`"${rev}" cannot be asked of cat-file.`, { fields: { rev } });
  }
}

const objectTypes = new Set(["blob", "tree", "commit", "tag"]);

/** `<sha> <type> <size>\n`, or `<rev> missing\n` / `<rev> ambiguous\n`. */
function infoAnswer(
  buffer: Buffer,
): { value: { sha: string; type: GitObject["type"]; size: number } | null; length: number } | null {
  const line = lineAnswer(buffer);
  if (line === null) return null;
  const parts = line.value.split(" ");
  const [sha = "", type = "", size = ""] = parts;
  if (parts.length === 3 && isObjectId(sha) && objectTypes.has(type) && /^\d+$/.test(size)) {
    return { value: { sha, type: type as GitObject["type"], size: Number(size) }, length: line.length };
  }
  if (/ (missing|ambiguous)$/.test(line.value)) return { value: null, length: line.length };
  throw new Error(`cat-file answered "${line.value}"`);
}

/** An info line, then `size` bytes of content and a line feed. */
function objectAnswer(buffer: Buffer): { value: GitObject | null; length: number } | null {
  const info = infoAnswer(buffer);
  if (info === null) return null;
  if (info.value === null) return { value: null, length: info.length };
  const end = info.length + info.value.size;
  if (buffer.length < end + 1) return null;
  const content = Buffer.from(buffer.subarray(info.length, end));
  return { value: { sha: info.value.sha, type: info.value.type, content }, length: end + 1 };
}

/** `start: ok`, `prepare: ok`, `commit: ok`. */
function transactionAnswer(buffer: Buffer): { value: true; length: number } | null {
  let offset = 0;
  for (const expected of ["start: ok", "prepare: ok", "commit: ok"]) {
    const line = lineAnswer(buffer.subarray(offset));
    if (line === null) return null;
    if (line.value !== expected) throw new Error(`update-ref answered "${line.value}"`);
    offset += line.length;
  }
  return { value: true, length: offset };
}
