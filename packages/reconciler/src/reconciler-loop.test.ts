import { afterEach, expect, it } from "vitest";
import { createProject, type Project } from "./__fixtures__/project.js";
import type { ShellRequest, ShellResult, ShellRunner } from "./shell-runner.js";

/** Holds every check until released, and records how many ran at once. */
class HeldShell implements ShellRunner {
  running = 0;
  mostAtOnce = 0;
  waiting = 0;
  #release: () => void = () => undefined;
  #gate = new Promise<void>((resolve) => {
    this.#release = resolve;
  });

  constructor(readonly inner: ShellRunner) {}

  release(): void {
    this.#release();
  }

  async run(request: ShellRequest): Promise<ShellResult> {
    this.waiting += 1;
    await this.#gate;
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      return await this.inner.run(request);
    } finally {
      this.running -= 1;
    }
  }
}

let project: Project | undefined;

afterEach(async () => {
  await project?.workspace.remove();
  await project?.repo.cleanup();
  project = undefined;
});

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 600 && !condition(); tries += 1)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(condition()).toBe(true);
}

it("coalesces merges that land during a sweep into one sweep of the newest head, never two at once", async () => {
  let shell: HeldShell | undefined;
  project = await createProject({
    shell: (inner) => {
      shell = new HeldShell(inner);
      return shell;
    },
  });
  const { reconciler, engine, land } = project;
  const controller = new AbortController();
  const loop = reconciler.run(controller.signal);

  await until(() => shell!.waiting > 0);
  const landings = [];
  for (let index = 1; index <= 5; index += 1) {
    landings.push(await land(`t000${index}`, { [`src/f${index}.js`]: `export const f = ${index};\n` }));
  }
  shell!.release();

  await until(() => engine.eventsOf("health-check").length >= 2);
  controller.abort();
  await loop;

  const sweeps = engine.eventsOf("health-check");
  expect(sweeps.map((sweep) => sweep.commit)).toEqual([project.repo.initial, landings[4]?.sha]);
  expect(sweeps.every((sweep) => sweep.green)).toBe(true);
  expect(shell!.mostAtOnce).toBe(1);
});
