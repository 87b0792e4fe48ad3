// upward: the git package reaches up into the engine
import { engine } from "@longshot/engine";
import { base } from "@longshot/core";
export const git = engine + base;
