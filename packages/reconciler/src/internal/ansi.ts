// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

/** Removes colour and cursor escape sequences so runner output can be parsed as text. */
export function stripAnsi(text: string): string {
  return text.replace(ansi, "");
}

/** Output split into lines without escape sequences or carriage-return redraws. */
export function outputLines(text: string): string[] {
  return stripAnsi(text)
    .split("\n")
    .map((line) => {
      const redraw = line.lastIndexOf("\r", line.length - 2);
      return (redraw >= 0 ? line.slice(redraw + 1) : line).replace(/\r$/, "");
    });
}
