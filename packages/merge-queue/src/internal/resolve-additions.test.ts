import { describe, expect, it } from "vitest";
import { unionOfAdditions } from "./resolve-additions.js";

describe("unionOfAdditions", () => {
  it("keeps both sides' lines added at the same place", () => {
    const base = "// exports\n";
    expect(
      unionOfAdditions(base, `${base}export { a } from "./a";\n`, `${base}export { b } from "./b";\n`),
    ).toBe('// exports\nexport { a } from "./a";\nexport { b } from "./b";\n');
  });

  it("keeps additions at different places in order", () => {
    expect(unionOfAdditions("x\ny\n", "a\nx\ny\n", "x\ny\nz\n")).toBe("a\nx\ny\nz\n");
  });

  it("writes an addition both sides made identically once", () => {
    expect(unionOfAdditions("x\n", "x\nsame\n", "x\nsame\n")).toBe("x\nsame\n");
  });

  it("leaves a real conflict alone: a changed or removed line", () => {
    expect(unionOfAdditions("x\ny\n", "x\nY\n", "x\ny\nz\n")).toBeNull();
    expect(unionOfAdditions("x\ny\n", "x\n", "x\ny\nz\n")).toBeNull();
  });

  it("unions two files both sides created", () => {
    expect(unionOfAdditions("", "a\n", "b\n")).toBe("a\nb\n");
  });
});
