import type { engine } from "./index.js";
export const worker = 2;
export type Engine = typeof engine;
