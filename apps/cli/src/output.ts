import { UserError } from "@longshot/core/errors";

/** Terminal output helpers: colour only when chosen (`--color`) or on a TTY without NO_COLOR. */
export interface Output {
  readonly color: boolean;
  /** stdout is a terminal. */
  readonly isTty: boolean;
  out(line: string): void;
  err(line: string): void;
}

export type ColorChoice = "auto" | "always" | "never";

/** `--color` as given; a value other than never, always or auto is a UserError. */
export function parseColorChoice(text: string | undefined): ColorChoice {
  if (text === undefined || text === "auto") return "auto";
  if (text === "always" || text === "never") return text;
  throw new UserError(`--color is "${text}" but must be never, always or auto.`);
}

/** Whether to colour: `--color always|never` wins; `auto` means a TTY, no NO_COLOR, not TERM=dumb. */
export function shouldColor(choice: ColorChoice, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (choice !== "auto") return choice === "always";
  return isTty && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb";
}

/** A stream whose reader went away (EPIPE) is closed quietly: later lines are dropped, no stack trace. */
function guard(stream: NodeJS.WritableStream): (text: string) => void {
  let open = true;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") {
      open = false;
      return;
    }
    throw error;
  });
  return (text) => {
    if (open) stream.write(text);
  };
}

export function createOutput(
  env: NodeJS.ProcessEnv,
  stdout: NodeJS.WriteStream,
  stderr: NodeJS.WriteStream,
  choice: ColorChoice = "auto",
): Output {
  const isTty = Boolean(stdout.isTTY);
  const out = guard(stdout);
  const err = guard(stderr);
  return {
    color: shouldColor(choice, env, isTty),
    isTty,
    out: (line) => out(`${line}\n`),
    err: (line) => err(`${line}\n`),
  };
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

export function paint(output: Output, style: keyof typeof codes, text: string): string {
  return output.color ? `\u001b[${codes[style]}m${text}\u001b[0m` : text;
}

/** `text` with its first letter in capitals: a clause made the start of a sentence. */
export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
