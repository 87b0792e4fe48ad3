import { UserError } from "@longshot/core/errors";
import { describe, expect, it } from "vitest";
import { resolveRunId } from "./run-ids.js";

const index = (ids: string[]) => ({ listRuns: () => ids.map((runId) => ({ runId, status: "green" })) });
const runs = index(["r20261204-120000-aaaa", "r20261203-090000-bbbb", "r20261203-080000-bbcc"]);

describe("resolveRunId", () => {
  it("takes a full id, latest (the newest run) and a prefix only one id starts with", () => {
    expect(resolveRunId(runs, "r20261203-090000-bbbb")).toBe("r20261203-090000-bbbb");
    expect(resolveRunId(runs, "latest")).toBe("r20261204-120000-aaaa");
    expect(resolveRunId(runs, "r20261204")).toBe("r20261204-120000-aaaa");
  });

  it("names the candidates of an ambiguous prefix, and says what to do when nothing matches", () => {
    expect(() => resolveRunId(runs, "r20261203")).toThrow(
      "2 runs start with r20261203 (r20261203-090000-bbbb, r20261203-080000-bbcc); give more of the id, or latest.",
    );
    expect(() => resolveRunId(runs, "nope")).toThrow(UserError);
    expect(() => resolveRunId(runs, "")).toThrow("There is no run  in this repository");
    expect(() => resolveRunId(index([]), "latest")).toThrow("no runs yet");
  });
});
