import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readProcFile } from "./proc-file.js";

describe("readProcFile", () => {
  it("reads /proc files whole, short ones and ones far past its first buffer", async () => {
    expect(await readProcFile("/proc/self/environ")).toEqual(readFileSync("/proc/self/environ"));
    // A process's memory map runs to tens of kilobytes: the buffer grows until the file ends.
    const maps = await readProcFile("/proc/self/maps");
    expect(maps.length).toBeGreaterThan(4_096);
    expect(maps.toString("utf8").split("\n")[0]).toBe(readFileSync("/proc/self/maps", "utf8").split("\n")[0]);
    expect(await readProcFile("/proc/self/cmdline")).toEqual(readFileSync("/proc/self/cmdline"));
  });

  it("rejects for a process that is gone, as readFile does", async () => {
    await expect(readProcFile("/proc/999999999/environ")).rejects.toMatchObject({ code: "ENOENT" });
  });
});
