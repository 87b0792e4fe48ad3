import { describe, expect, it } from "vitest";
import type { TreeEntry } from "../types.js";
import { TreeCache } from "./tree-cache.js";

const tree = (size: number, tag: string): TreeEntry[] =>
  Array.from({ length: size }, (_, index) => ({
    mode: "100644",
    type: "blob",
    sha: String(index).padStart(40, "0"),
    name: `${tag}-${index}.ts`,
  }));

describe("TreeCache", () => {
  it("holds at most its budget of entries however many trees pass through it", () => {
    const cache = new TreeCache(1_000);
    for (let index = 0; index < 500; index++) {
      cache.set(`t${index}`, tree(99, `t${index}`));
      expect(cache.held).toBeLessThanOrEqual(1_000);
    }
    // The last ten trees (100 each, counting the tree itself) fill the budget; older ones are gone.
    expect(cache.get("t499")?.[0]?.name).toBe("t499-0.ts");
    expect(cache.get("t490")).toBeDefined();
    expect(cache.get("t489")).toBeUndefined();
  });

  it("drops the least recently used tree first, so a tree read again and again stays", () => {
    const cache = new TreeCache(300);
    cache.set("head", tree(99, "head"));
    cache.set("a", tree(99, "a"));
    cache.set("b", tree(99, "b"));
    expect(cache.get("head")).toBeDefined();
    cache.set("c", tree(99, "c"));
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("head")?.length).toBe(99);
    expect(cache.held).toBe(300);
  });

  it("keeps no tree larger than the budget, and counts a tree stored twice once", () => {
    const cache = new TreeCache(100);
    cache.set("small", tree(10, "small"));
    cache.set("huge", tree(100, "huge"));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.get("small")).toBeDefined();
    cache.set("small", tree(10, "small"));
    cache.set("empty", []);
    expect(cache.held).toBe(12);
  });
});
