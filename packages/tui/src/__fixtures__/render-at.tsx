import { EventEmitter } from "node:events";
import { render } from "ink";
import type { ReactElement } from "react";

/** Renders like ink-testing-library, but on a terminal of the given width. */
export function renderAt(tree: ReactElement, columns: number, rows = 50) {
  let last = "";
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows,
    write: (frame: string) => {
      last = frame;
    },
  });
  const stderr = Object.assign(new EventEmitter(), { write: () => undefined });
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { lastFrame: () => last, unmount: () => instance.unmount() };
}
