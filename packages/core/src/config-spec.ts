import type { VariableSpec } from "./config-kit.js";
import { operationSpecs } from "./config-spec-operations.js";
import { repoAndModelSpecs } from "./config-spec-repo-models.js";
import { workerAndHealthSpecs } from "./config-spec-workers.js";

export {
  type EndpointConfig,
  EndpointSchema,
  type McpServerConfig,
  McpServerSchema,
  type Price,
  PriceSchema,
  type SandboxRoute,
  SandboxRouteSchema,
  type VariableSpec,
} from "./config-kit.js";

/**
 * Every configuration variable, in documented order: the single source of truth for the config
 * type, `.env.example` (a test fails when they drift) and the README's config table. The specs
 * live in three files by group; the helpers that build them in `config-kit.ts`.
 */
export const variableSpecs = [...repoAndModelSpecs, ...workerAndHealthSpecs, ...operationSpecs] as const;

type Specs = typeof variableSpecs;
type SpecOf<N extends Specs[number]["name"]> = Extract<Specs[number], { name: N }>;
type ValueOf<S> = S extends VariableSpec<infer T> ? T : never;
type HasDefault<S> = S extends { default: string } ? true : false;

/** The validated configuration, keyed by variable name. */
export type Config = {
  readonly [N in Specs[number]["name"]]: HasDefault<SpecOf<N>> extends true
    ? ValueOf<SpecOf<N>>
    : ValueOf<SpecOf<N>> | undefined;
};

export type VariableName = Specs[number]["name"];
export const variableNames: readonly VariableName[] = variableSpecs.map((entry) => entry.name);
