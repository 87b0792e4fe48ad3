import { base } from "@longshot/core";
export const fake = base;
