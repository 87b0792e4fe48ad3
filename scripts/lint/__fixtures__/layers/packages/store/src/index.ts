import { base } from "@longshot/core";
export const stored = base;
