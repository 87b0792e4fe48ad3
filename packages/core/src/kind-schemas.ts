import { z } from "zod";
import {
  harnessKinds,
  mergeGates,
  mergeStrategies,
  sandboxKindNames,
  sandboxProviderNames,
} from "./kinds.js";

/** WORKER_HARNESS, `start_run`'s `harness`: the names of `harnessKinds`. */
export const HarnessKindSchema = z.enum(harnessKinds);

/** SANDBOX_ROUTES' `sandbox`, `start_run`'s `sandbox`: the keys of `sandboxKinds`. */
export const SandboxKindSchema = z.enum(sandboxKindNames);

/** SANDBOX_PROVIDER: a sandbox kind, or `none` (unisolated, the user's explicit opt-out). */
export const SandboxProviderSchema = z.enum(sandboxProviderNames);

/** MERGE_STRATEGY. */
export const MergeStrategySchema = z.enum(mergeStrategies);

/** MERGE_GATE. */
export const MergeGateSchema = z.enum(mergeGates);
