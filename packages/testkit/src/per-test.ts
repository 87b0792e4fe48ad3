import { afterEach } from "vitest";

/**
 * For a test file: `open` wrapped so that whatever it opened during a test is closed by `close`
 * after that test, the last opened first. Register it once, at the top of the file (it adds an
 * `afterEach` hook); a failing close fails the test after the others are closed.
 */
export function perTest<Args extends unknown[], Opened>(
  open: (...args: Args) => Promise<Opened>,
  close: (opened: Opened) => Promise<void> | void,
): (...args: Args) => Promise<Opened> {
  const opened: Opened[] = [];
  afterEach(async () => {
    const failures: unknown[] = [];
    for (const each of opened.splice(0).reverse()) {
      try {
        await close(each);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  });
  return async (...args) => {
    const value = await open(...args);
    opened.push(value);
    return value;
  };
}
