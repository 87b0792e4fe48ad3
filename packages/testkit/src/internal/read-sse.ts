/** One parsed server-sent event. */
export interface ReadSseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/**
 * Parses a whole `text/event-stream` body into events (the `event:` and joined `data:` lines of
 * each blank-line separated block). Comments and blocks without data are skipped.
 */
export function readSse(text: string): ReadSseEvent[] {
  const events: ReadSseEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return events;
}
