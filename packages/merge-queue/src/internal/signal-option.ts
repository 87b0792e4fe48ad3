/** `{ signal }` when there is one, `{}` otherwise (exactOptionalPropertyTypes forbids `signal: undefined`). */
export function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
