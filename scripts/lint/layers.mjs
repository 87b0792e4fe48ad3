// The layer table of README.md ("Architecture"), top to bottom, as the import check reads it.
// A package imports only from packages in lower rows. The README's coarse layers are split where
// one infra package builds on another: providers on the sandbox spec, the gateway on the model
// client, the sandbox on git; and the benchmark starts runs through the app's composition root.

import { sandboxKinds } from "../../packages/core/src/kinds.ts";

/** @type {readonly { readonly layer: string; readonly packages: readonly string[] }[]} */
export const layers = [
  { layer: "app", packages: ["@longshot/bench"] },
  { layer: "app", packages: ["@longshot/cli"] },
  { layer: "adapters", packages: ["@longshot/tui", "@longshot/mcp-server", "@longshot/github"] },
  { layer: "runtime", packages: ["@longshot/engine"] },
  {
    layer: "domain",
    packages: ["@longshot/planner", "@longshot/merge-queue", "@longshot/reconciler", "@longshot/agent"],
  },
  // Every sandbox kind's package but the spec's own (local sandboxes live in @longshot/sandbox).
  {
    layer: "infra",
    packages: Object.values(sandboxKinds)
      .map((kind) => kind.package)
      .filter((name) => name !== "@longshot/sandbox"),
  },
  { layer: "infra", packages: ["@longshot/gateway"] },
  { layer: "infra", packages: ["@longshot/llm", "@longshot/sandbox", "@longshot/store"] },
  { layer: "infra", packages: ["@longshot/git"] },
  // The wire protocols' parsers sit beside core: neither imports the other.
  { layer: "base", packages: ["@longshot/core", "@longshot/wire"] },
];

/**
 * Test support: it builds on the base only, and only tests, fixtures, benchmarks and the app
 * (whose demo plays the model with it) may import it.
 */
export const testSupport = {
  layer: "tests",
  packages: ["@longshot/testkit"],
  builtOn: ["@longshot/core", "@longshot/wire"],
};
