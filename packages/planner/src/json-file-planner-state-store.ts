import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InternalError, throwIfAborted } from "@longshot/core";
import { type PlannerState, PlannerStateSchema, type PlannerStateStore } from "./planner-state.js";

/**
 * Keeps planner state in one JSON file, replaced atomically (write a sibling, then rename), so
 * a crash leaves the previous state or the new one, never half of each.
 */
export class JsonFilePlannerStateStore implements PlannerStateStore {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  /** Throws an InternalError when the file exists but does not hold valid planner state. */
  async load(signal: AbortSignal): Promise<PlannerState | undefined> {
    throwIfAborted(signal);
    let text: string;
    try {
      text = await readFile(this.#path, { encoding: "utf8", signal });
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InternalError(`Planner state ${this.#path} is not valid JSON.`, { cause: error });
    }
    const parsed = PlannerStateSchema.safeParse(json);
    if (!parsed.success) {
      throw new InternalError(`Planner state ${this.#path} is not valid: ${parsed.error.message}`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  async save(state: PlannerState, signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    await mkdir(dirname(this.#path), { recursive: true });
    const temporary = `${this.#path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(state)}\n`, { encoding: "utf8", signal });
    await rename(temporary, this.#path);
  }
}
