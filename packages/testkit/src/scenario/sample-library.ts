import type { SampleModule } from "./sample-module.js";
import { listAndTextModules } from "./sample-modules-lists-text.js";
import { mathAndFormatModules } from "./sample-modules-math-formats.js";

export type { SampleModule } from "./sample-module.js";

/**
 * The sample library the demo and the end-to-end tests build: real TypeScript modules with
 * real tests (node:test, run by Node's own type stripping, so no install step is needed).
 */
export const sampleModules: readonly SampleModule[] = [...listAndTextModules, ...mathAndFormatModules];

/** The first version of a module that breaks the build: a syntax error the build step catches. */
export function brokenSource(module: SampleModule): string {
  return module.source.replace(/\{\n/, "{\n  const broken = ;\n");
}
