/** Terminal output helpers: colour only on a TTY and never when NO_COLOR is set. */
export interface Output {
  readonly color: boolean;
  readonly isTty: boolean;
  out(line: string): void;
  err(line: string): void;
}

export function createOutput(
  env: NodeJS.ProcessEnv,
  stdout: NodeJS.WriteStream,
  stderr: NodeJS.WriteStream,
): Output {
  const isTty = Boolean(stdout.isTTY);
  const color = isTty && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb";
  return {
    color,
    isTty,
    out: (line) => stdout.write(`${line}\n`),
    err: (line) => stderr.write(`${line}\n`),
  };
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

export function paint(output: Output, style: keyof typeof codes, text: string): string {
  return output.color ? `\u001b[${codes[style]}m${text}\u001b[0m` : text;
}
