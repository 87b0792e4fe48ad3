/**
 * Splits streamed text into lines on LF only (JSONL framing: Unicode line separators inside
 * JSON strings are not boundaries), dropping a CR before the LF. `end()` flushes a last line
 * without a newline.
 */
export class LineSplitter {
  #buffer = "";
  readonly #onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: string): void {
    this.#buffer += chunk;
    let newline = this.#buffer.indexOf("\n");
    while (newline >= 0) {
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
      newline = this.#buffer.indexOf("\n");
    }
  }

  end(): void {
    if (this.#buffer !== "") this.#onLine(this.#buffer);
    this.#buffer = "";
  }
}
