import { base } from "@longshot/core";
import { fake } from "@longshot/testkit";
import { planned } from "@longshot/planner";
import { helper } from "../../git/src/helper.js";
import { worker } from "./worker.js";
export const engine = base + fake + planned + helper + worker;
