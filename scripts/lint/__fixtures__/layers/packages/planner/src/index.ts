import { base } from "@longshot/core";
export const planned = base;
