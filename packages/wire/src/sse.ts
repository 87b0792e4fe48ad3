/** One server-sent event; `event:` is left out when `event` is undefined (chat completions). */
export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** A JSON-data event. */
export function jsonEvent(event: string | undefined, data: unknown): SseEvent {
  return { event, data: JSON.stringify(data) };
}

/** The bytes of one event on the wire, ending with the blank line. */
export function formatSse(event: SseEvent): string {
  const name = event.event === undefined ? "" : `event: ${event.event}\n`;
  return `${name}data: ${event.data}\n\n`;
}
