import { describe, expect, it } from "vitest";
import { mergeJsonManifest } from "./json-manifest.js";

const manifest = (value: unknown, indent: string | number = 2) => `${JSON.stringify(value, null, indent)}\n`;

const base = {
  name: "app",
  version: "1.0.0",
  scripts: { build: "tsc" },
  dependencies: { react: "^19.0.0" },
};

describe("mergeJsonManifest", () => {
  it("merges dependency maps and scripts both sides added to, key by key, sorted maps kept sorted", () => {
    const ours = {
      ...base,
      scripts: { ...base.scripts, test: "vitest" },
      dependencies: { ...base.dependencies, zod: "4.0.0" },
    };
    const theirs = {
      ...base,
      scripts: { ...base.scripts, lint: "biome" },
      dependencies: { ink: "6.0.0", ...base.dependencies },
    };
    const merged = mergeJsonManifest(manifest(base), manifest(ours), manifest(theirs));
    expect(merged?.text).toBe(
      manifest({
        ...base,
        scripts: { build: "tsc", test: "vitest", lint: "biome" },
        dependencies: { ink: "6.0.0", react: "^19.0.0", zod: "4.0.0" },
      }),
    );
    expect(merged?.hunks).toBe(2);
  });

  it("is a real conflict only when the same key gets two different values", () => {
    const ours = { ...base, dependencies: { react: "^19.1.0" } };
    const same = mergeJsonManifest(manifest(base), manifest(ours), manifest(ours));
    expect(same?.text).toBe(manifest(ours));
    const theirs = { ...base, dependencies: { react: "^19.2.0" } };
    expect(mergeJsonManifest(manifest(base), manifest(ours), manifest(theirs))).toBeNull();
  });

  it("takes a removal on one side and a change on the other only when they do not meet", () => {
    const ours: Record<string, unknown> = { ...base };
    delete ours.scripts;
    const theirs = { ...base, version: "1.1.0" };
    expect(mergeJsonManifest(manifest(base), manifest(ours), manifest(theirs))?.text).toBe(
      manifest({ name: "app", version: "1.1.0", dependencies: base.dependencies }),
    );
    const changed = { ...base, scripts: { build: "tsc -b" } };
    expect(mergeJsonManifest(manifest(base), manifest(ours), manifest(changed))).toBeNull();
  });

  it("keeps the file's indentation, line endings and final newline", () => {
    const ours = { ...base, scripts: { ...base.scripts, test: "vitest" } };
    const theirs = { ...base, scripts: { ...base.scripts, lint: "biome" } };
    const tabs = mergeJsonManifest(manifest(base, "\t"), manifest(ours, "\t"), manifest(theirs, "\t"));
    expect(tabs?.text).toContain('\n\t"scripts": {\n\t\t"build": "tsc",');
    const crlf = (text: string) => text.replaceAll("\n", "\r\n").replace(/\r\n$/, "");
    const merged = mergeJsonManifest(crlf(manifest(base)), crlf(manifest(ours)), crlf(manifest(theirs)));
    expect(merged?.text).toContain('"test": "vitest",\r\n');
    expect(merged?.text.endsWith("}")).toBe(true);
  });

  it("joins lists both sides only added to, and leaves other list changes to the task", () => {
    const withFiles = { ...base, files: ["dist"] };
    const merged = mergeJsonManifest(
      manifest(withFiles),
      manifest({ ...withFiles, files: ["dist", "src"] }),
      manifest({ ...withFiles, files: ["dist", "bin"] }),
    );
    expect(JSON.parse(merged?.text ?? "{}").files).toEqual(["dist", "src", "bin"]);
    expect(
      mergeJsonManifest(
        manifest(withFiles),
        manifest({ ...withFiles, files: ["src"] }),
        manifest({ ...withFiles, files: ["dist", "bin"] }),
      ),
    ).toBeNull();
  });

  it("merges manifests both sides created, and leaves what is not a JSON object to the task", () => {
    const created = mergeJsonManifest(
      null,
      manifest({ name: "x", scripts: { a: "1" } }),
      manifest({ name: "x", scripts: { b: "2" } }),
    );
    expect(JSON.parse(created?.text ?? "{}")).toEqual({ name: "x", scripts: { a: "1", b: "2" } });
    expect(mergeJsonManifest(manifest(base), "{ broken", manifest(base))).toBeNull();
    expect(mergeJsonManifest(manifest(base), "[1]\n", manifest(base))).toBeNull();
  });
});
