import { throwIfAborted } from "@longshot/core";
import { commandArgv } from "./command-argv.js";
import { guardCommand } from "./command-guard.js";
import type {
  ExecOptions,
  FileList,
  ListFilesOptions,
  ReadFileOptions,
  SearchOptions,
  SearchResult,
} from "./sandbox.js";
import type { SandboxGate } from "./sandbox-gate.js";
import type { ShellWorkspace } from "./shell-workspace.js";

/** A command about to run in the workspace: its argv and its resolved working directory. */
export interface PreparedCommand {
  readonly argv: string[];
  readonly cwd: string;
}

/**
 * What the sandboxes whose workspace is reached through commands (a Docker container, a remote
 * machine) share: their file operations are the `ShellWorkspace`'s, each run through the
 * sandbox's `SandboxGate`, so that it fails with the reason once the sandbox has expired; and
 * destroying is the gate's teardown.
 */
export abstract class GatedShellSandbox {
  protected abstract readonly gate: SandboxGate;
  protected abstract readonly workspace: ShellWorkspace;

  readFile(path: string, options: ReadFileOptions = {}): Promise<string> {
    return this.gate.run(() => this.workspace.readFile(path, options));
  }

  writeFile(
    path: string,
    content: string | Uint8Array,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<void> {
    return this.gate.run(() => this.workspace.writeFile(path, content, options.signal));
  }

  listFiles(dir = "", options: ListFilesOptions = {}): Promise<FileList> {
    return this.gate.run(() => this.workspace.listFiles(dir, options));
  }

  search(pattern: string, options: SearchOptions = {}): Promise<SearchResult> {
    return this.gate.run(() => this.workspace.search(pattern, options));
  }

  /** Ends the sandbox: the gate's teardown kills everything in it and frees what it held. */
  async destroy(_options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    await this.gate.destroy("destroyed");
  }

  /**
   * Checks a command before it runs: throws when aborted, refuses what the guard refuses
   * (`network` is whether the sandbox may reach the network), and resolves its working directory
   * inside the workspace.
   */
  protected async prepareCommand(options: ExecOptions, network: boolean): Promise<PreparedCommand> {
    throwIfAborted(options.signal);
    const argv = commandArgv(options);
    guardCommand(options.command ?? argv, { network });
    const { path: cwd } = await this.workspace.resolve(options.cwd ?? "", options.signal);
    return { argv, cwd };
  }
}
