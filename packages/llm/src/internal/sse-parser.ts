/**
 * Incremental parser of a server-sent event stream: feed it decoded text as it arrives and it
 * returns the `data` payloads of the events completed so far (multi-line data joined with `\n`,
 * comments and other fields ignored). Events named `error` are returned with `error: true`.
 */
export class SseParser {
  #buffer = "";
  /** A `\r` that ended the previous piece: it may be the first half of a `\r\n`. */
  #carriage = false;

  push(piece: string): SseEvent[] {
    let text = this.#carriage ? `\r${piece}` : piece;
    this.#carriage = text.endsWith("\r");
    if (this.#carriage) text = text.slice(0, -1);
    this.#buffer += text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
    let events: SseEvent[] | undefined;
    let boundary = this.#buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const block = this.#buffer.slice(0, boundary);
      this.#buffer = this.#buffer.slice(boundary + 2);
      boundary = this.#buffer.indexOf("\n\n");
      const event = parseBlock(block);
      if (event !== undefined) {
        events ??= [];
        events.push(event);
      }
    }
    return events ?? noEvents;
  }
}

export interface SseEvent {
  readonly data: string;
  readonly error: boolean;
}

const noEvents: SseEvent[] = [];

function parseBlock(block: string): SseEvent | undefined {
  // The common case, one `data:` line, without splitting.
  if (block.startsWith("data:") && !block.includes("\n")) {
    return { data: block.charCodeAt(5) === 32 ? block.slice(6) : block.slice(5), error: false };
  }
  let data: string | undefined;
  let error = false;
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data = data === undefined ? value : `${data}\n${value}`;
    else if (field === "event") error = value === "error";
  }
  return data === undefined ? undefined : { data, error };
}
