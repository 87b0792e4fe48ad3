import type { ExecOptions, ExecResult, Sandbox } from "@longshot/sandbox";
import { expect, it } from "vitest";
import { projectPerTest } from "./__fixtures__/project.js";

/** Holds every check command until released, and records how many ran at once. */
class HeldChecks {
  running = 0;
  mostAtOnce = 0;
  waiting = 0;
  #release: () => void = () => undefined;
  readonly #gate = new Promise<void>((resolve) => {
    this.#release = resolve;
  });

  release(): void {
    this.#release();
  }

  /** The sandbox with its `exec` held at the gate. */
  wrap(inner: Sandbox): Sandbox {
    const exec = async (options: ExecOptions): Promise<ExecResult> => {
      this.waiting += 1;
      await this.#gate;
      this.running += 1;
      this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
      try {
        return await inner.exec(options);
      } finally {
        this.running -= 1;
      }
    };
    return new Proxy(inner, {
      get: (target, property) => {
        if (property === "exec") return exec;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }
}

const openProject = projectPerTest();

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 600 && !condition(); tries += 1)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(condition()).toBe(true);
}

it("coalesces merges that land during a sweep into one sweep of the newest head, never two at once", async () => {
  const shell = new HeldChecks();
  const project = await openProject({ sandbox: (inner) => shell.wrap(inner) });
  const { reconciler, engine, land } = project;
  const controller = new AbortController();
  const loop = reconciler.run(controller.signal);

  await until(() => shell.waiting > 0);
  const landings = [];
  for (let index = 1; index <= 5; index += 1) {
    landings.push(await land(`t000${index}`, { [`src/f${index}.js`]: `export const f = ${index};\n` }));
  }
  shell.release();

  await until(() => engine.eventsOf("health-check").length >= 2);
  controller.abort();
  await loop;

  const sweeps = engine.eventsOf("health-check");
  expect(sweeps.map((sweep) => sweep.commit)).toEqual([project.repo.initial, landings[4]?.sha]);
  expect(sweeps.every((sweep) => sweep.green)).toBe(true);
  expect(shell.mostAtOnce).toBe(1);
});
