/** One module of the sample library: a small function, its implementation and its tests. */
export interface SampleModule {
  readonly name: string;
  readonly summary: string;
  readonly source: string;
  readonly test: string;
}

/** A sample module from its function's source and the lines of its test. */
export function sampleModule(
  name: string,
  summary: string,
  body: string,
  cases: readonly string[],
): SampleModule {
  const test = [
    'import assert from "node:assert/strict";',
    'import { test } from "node:test";',
    `import { ${name} } from "./${name}.ts";`,
    "",
    `test("${name}", () => {`,
    ...cases.map((line) => `  ${line}`),
    "});",
    "",
  ].join("\n");
  return { name, summary, source: `${body.trim()}\n`, test };
}
