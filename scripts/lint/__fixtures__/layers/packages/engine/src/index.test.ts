import { fake } from "@longshot/testkit";
import { git } from "@longshot/git";
export const ok = fake + git;
