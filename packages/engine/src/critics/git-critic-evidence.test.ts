import { Git } from "@longshot/git";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { GitCriticEvidence } from "./git-critic-evidence.js";

let repo: TempRepo | null = null;
afterEach(async () => {
  await repo?.cleanup();
  repo = null;
});

const copied = [
  "export function total(items: readonly { price: number; count: number }[]): number {",
  "  let sum = 0;",
  "  for (const item of items) {",
  "    if (item.count <= 0) continue;",
  "    const line = item.price * item.count;",
  "    sum += Math.round(line * 100) / 100;",
  "  }",
  "  return sum;",
  "}",
  "",
].join("\n");

const signal = new AbortController().signal;

describe("GitCriticEvidence", () => {
  it("gives the duplication critic the copies that touch what landed, and skips when nothing was copied", async () => {
    repo = await createTempRepo({
      files: { "src/cart.ts": copied, "src/other.ts": "export const x = 1;\n" },
    });
    const base = repo.initial;
    const clean = await repo.commit({ "src/new.ts": "export const y = 2;\n" }, "unrelated");
    const evidence = new GitCriticEvidence({ git: new Git(repo.path) });
    expect(await evidence.gather("duplication", { from: base, to: clean }, signal)).toEqual({
      skip: "the duplicate finder found no copied code in what landed",
    });
    const head = await repo.commit({ "src/invoice.ts": copied.replace("total", "invoiceTotal") }, "copy");
    const found = await evidence.gather("duplication", { from: clean, to: head }, signal);
    expect("skip" in found).toBe(false);
    if ("skip" in found) return;
    expect(found.files).toEqual(["src/cart.ts", "src/invoice.ts"]);
    expect(found.summary).toContain("src/cart.ts:2-8, src/invoice.ts:2-8");
  });

  it("lists changed sources and their tests for the coverage critic", async () => {
    repo = await createTempRepo({ files: { "README.md": "# x\n" } });
    const base = repo.initial;
    const head = await repo.commit(
      {
        "src/a.ts": "export const a = 1;\n",
        "src/a.test.ts": "test\n",
        "src/b.ts": "export const b = 2;\n",
        "notes.md": "x\n",
      },
      "work",
    );
    const found = await new GitCriticEvidence({ git: new Git(repo.path) }).gather(
      "coverage",
      { from: base, to: head },
      signal,
    );
    expect(found).toMatchObject({ kind: "coverage", files: ["src/a.ts", "src/b.ts"] });
    if ("skip" in found) return;
    expect(found.summary).toContain("- src/a.ts: tested in src/a.test.ts");
    expect(found.summary).toContain("- src/b.ts: no test file found");
  });

  it("checks drift against the repository's own notes, and runs only a declared benchmark", async () => {
    repo = await createTempRepo({ files: { "package.json": '{"scripts":{"test":"node --test"}}\n' } });
    const evidence = new GitCriticEvidence({ git: new Git(repo.path) });
    const head = await repo.commit({ "src/a.ts": "export const a = 1;\n" }, "work");
    const range = { from: repo.initial, to: head };
    expect(await evidence.gather("architecture", range, signal)).toMatchObject({
      skip: expect.stringContaining("no architecture notes"),
    });
    expect(await evidence.gather("performance", range, signal)).toMatchObject({
      skip: expect.stringContaining("declares no benchmark"),
    });
    const noted = await repo.commit(
      {
        "docs/architecture.md": "# Layers\n\nUI never imports the database.\n",
        "package.json": '{"scripts":{"bench":"node bench.mjs"}}\n',
      },
      "notes",
    );
    const later = { from: repo.initial, to: noted };
    const architecture = await evidence.gather("architecture", later, signal);
    expect(architecture).toMatchObject({ kind: "architecture" });
    if (!("skip" in architecture)) expect(architecture.summary).toContain("UI never imports the database.");
    expect(await evidence.gather("performance", later, signal)).toMatchObject({
      kind: "performance",
      command: "npm run bench",
    });
    const configured = new GitCriticEvidence({ git: new Git(repo.path), benchmarkCommand: "make bench" });
    expect(await configured.gather("performance", later, signal)).toMatchObject({ command: "make bench" });
  });
});
