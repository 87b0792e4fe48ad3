/** One of the project's checks, as `run_checks` and the CLI harnesses run it. */
export interface CheckCommand {
  /** Shown to the model, such as `build` or `test`. */
  readonly name: string;
  /** Shell command line run at the repository root. */
  readonly command: string;
  /** Default ten minutes. */
  readonly timeoutMs?: number;
}
