import { z } from "zod";
import { harnessKinds, mergeGates, mergeStrategies, sandboxKindNames } from "./kinds.js";

/** WORKER_HARNESS, `start_run`'s `harness`: the names of `harnessKinds`. */
export const HarnessKindSchema = z.enum(harnessKinds);

/** SANDBOX_PROVIDER, SANDBOX_ROUTES' `sandbox`, `start_run`'s `sandbox`: the keys of `sandboxKinds`. */
export const SandboxKindSchema = z.enum(sandboxKindNames);

/** MERGE_STRATEGY. */
export const MergeStrategySchema = z.enum(mergeStrategies);

/** MERGE_GATE. */
export const MergeGateSchema = z.enum(mergeGates);
