import type {
  CommitOptions,
  ExecOptions,
  ExecResult,
  FileList,
  ListFilesOptions,
  MoveOptions,
  ReadFileOptions,
  Sandbox,
  SandboxCreateOptions,
  SandboxIsolation,
  SandboxProvider,
  SandboxWarmOptions,
  SearchOptions,
  SearchResult,
} from "./sandbox.js";
import type { SandboxRepository } from "./sandbox-repository.js";

/**
 * A provider whose sandboxes are made from a {@link SandboxRepository} rather than the user's
 * repository: every base commit is admitted first (descendant of the run's start, no held-out
 * paths), the wrapped provider gets the sandboxes' repository as `repoPath`, and every commit
 * a sandbox makes is delivered to the user's repository at once, on its task branch.
 */
export class RepositorySandboxProvider implements SandboxProvider {
  readonly name: string;
  readonly repository: SandboxRepository;
  readonly #inner: SandboxProvider;

  constructor(inner: SandboxProvider, repository: SandboxRepository) {
    this.#inner = inner;
    this.name = inner.name;
    this.repository = repository;
  }

  async create(options: SandboxCreateOptions): Promise<Sandbox> {
    await this.repository.admit(options.baseCommit, options.signal);
    const sandbox = await this.#inner.create({ ...options, repoPath: this.repository.path });
    return new DeliveringSandbox(sandbox, this.repository);
  }

  async warm(options: SandboxWarmOptions): Promise<number> {
    if (this.#inner.warm === undefined) return 0;
    await this.repository.admit(options.baseCommit, options.signal);
    return this.#inner.warm({ ...options, repoPath: this.repository.path });
  }

  cleanOrphans(
    liveIds: readonly string[],
    options?: { readonly signal?: AbortSignal },
  ): Promise<readonly string[]> {
    return this.#inner.cleanOrphans(liveIds, options);
  }

  close(options?: { readonly signal?: AbortSignal }): Promise<void> {
    return this.#inner.close(options);
  }
}

/** A sandbox whose commits reach the user's repository as soon as they are made. */
class DeliveringSandbox implements Sandbox {
  readonly #inner: Sandbox;
  readonly #repository: SandboxRepository;

  constructor(inner: Sandbox, repository: SandboxRepository) {
    this.#inner = inner;
    this.#repository = repository;
  }

  get id(): string {
    return this.#inner.id;
  }
  get provider(): string {
    return this.#inner.provider;
  }
  get workdir(): string {
    return this.#inner.workdir;
  }
  get branch(): string {
    return this.#inner.branch;
  }
  get baseCommit(): string {
    return this.#inner.baseCommit;
  }
  get isolation(): SandboxIsolation {
    return this.#inner.isolation;
  }

  exec(options: ExecOptions): Promise<ExecResult> {
    return this.#inner.exec(options);
  }
  readFile(path: string, options?: ReadFileOptions): Promise<string> {
    return this.#inner.readFile(path, options);
  }
  writeFile(
    path: string,
    content: string | Uint8Array,
    options?: { readonly signal?: AbortSignal },
  ): Promise<void> {
    return this.#inner.writeFile(path, content, options);
  }
  listFiles(dir?: string, options?: ListFilesOptions): Promise<FileList> {
    return this.#inner.listFiles(dir, options);
  }
  search(pattern: string, options?: SearchOptions): Promise<SearchResult> {
    return this.#inner.search(pattern, options);
  }

  async commit(options: CommitOptions): Promise<string | null> {
    const sha = await this.#inner.commit(options);
    if (sha !== null) {
      await this.#inner.exportResult(options.signal === undefined ? {} : { signal: options.signal });
      await this.#repository.deliver(this.branch, options.signal);
    }
    return sha;
  }

  async exportResult(options: { readonly signal?: AbortSignal } = {}): Promise<string> {
    const sha = await this.#inner.exportResult(options);
    await this.#repository.deliver(this.branch, options.signal);
    return sha;
  }

  async moveTo(commit: string, options: MoveOptions = {}): Promise<void> {
    await this.#repository.admit(commit, options.signal);
    await this.#inner.moveTo(commit, options);
  }

  destroy(options?: { readonly signal?: AbortSignal }): Promise<void> {
    return this.#inner.destroy(options);
  }
}
