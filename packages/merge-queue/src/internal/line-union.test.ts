import { describe, expect, it } from "vitest";
import { unionOfAdditions } from "./line-union.js";

const text = (union: ReturnType<typeof unionOfAdditions>) => union?.text ?? null;
const line = (name: string) => `export { ${name} } from "./${name}.ts";\n`;

describe("unionOfAdditions", () => {
  it("keeps both sides' lines added at the same place, ours first", () => {
    const base = "// exports\n";
    const union = unionOfAdditions(base, `${base}${line("a")}`, `${base}${line("b")}`);
    expect(union).toEqual({ text: `${base}${line("a")}${line("b")}`, hunks: 1, duplicatesDropped: 0 });
  });

  it("keeps additions at different places in order", () => {
    expect(text(unionOfAdditions("x\ny\n", "a\nx\ny\n", "x\ny\nz\n"))).toBe("a\nx\ny\nz\n");
  });

  it("writes an addition both sides made identically once", () => {
    expect(text(unionOfAdditions("x\n", "x\nsame\n", "x\nsame\n"))).toBe("x\nsame\n");
  });

  it("leaves a real conflict alone: a changed or removed line", () => {
    expect(unionOfAdditions("x\ny\n", "x\nY\n", "x\ny\nz\n")).toBeNull();
    expect(unionOfAdditions("x\ny\n", "x\n", "x\ny\nz\n")).toBeNull();
  });

  it("unions two files both sides created", () => {
    expect(text(unionOfAdditions("", "a\n", "b\n"))).toBe("a\nb\n");
  });

  it("does not repeat an export the barrel task already wrote (same line)", () => {
    const barrel = `${line("a")}${line("b")}`;
    expect(unionOfAdditions("", barrel, line("a"))).toEqual({ text: barrel, hunks: 1, duplicatesDropped: 1 });
    expect(text(unionOfAdditions("", barrel, line("b")))).toBe(barrel);
  });

  it("does not repeat an export ours added at another place (adjacent and distant lines)", () => {
    const base = "// api\n// one\n// two\n";
    const ours = `// api\n${line("a")}// one\n// two\n`;
    expect(text(unionOfAdditions(base, ours, `${base}${line("a")}`))).toBe(ours);
    expect(text(unionOfAdditions(base, ours, `// api\n// one\n${line("a")}// two\n`))).toBe(ours);
  });

  it("adds only the exports a late barrel task has that the modules did not", () => {
    const base = "// api\n";
    const ours = `${base}${line("a")}${line("b")}`;
    const barrel = `${base}${line("a")}${line("b")}${line("c")}`;
    expect(unionOfAdditions(base, ours, barrel)).toEqual({
      text: `${base}${line("a")}${line("b")}${line("c")}`,
      hunks: 1,
      duplicatesDropped: 2,
    });
  });

  it("keeps two functions whole, closing braces and bodies included", () => {
    const base = "// helpers\n";
    const f = "\nexport function f(): number {\n  return 1;\n}\n";
    const g = "\nexport function g(): number {\n  return 1;\n}\n";
    expect(text(unionOfAdditions(base, `${base}${f}`, `${base}${g}`))).toBe(`${base}${f}${g}`);
  });

  it("writes what ours already wrote at a place once when theirs wrote that and more", () => {
    const base = "// helpers\n";
    const f = "\nexport function f(): number {\n  return 1;\n}\n";
    expect(text(unionOfAdditions(base, `${base}${f}`, `${base}${f}// more\n`))).toBe(`${base}${f}// more\n`);
    expect(text(unionOfAdditions(base, `${base}${f}`, `${base}// more\n${f}`))).toBe(`${base}${f}// more\n`);
    const g = "\nexport function g(): number {\n  return 2;\n}\n";
    expect(text(unionOfAdditions(base, `${base}${line("a")}`, `${base}${line("a")}${g}`))).toBe(
      `${base}${line("a")}${g}`,
    );
  });

  it("writes a function both sides added verbatim once, wherever ours put it", () => {
    const base = "// helpers\n// end\n";
    const f = "export function f(): number {\n  return 1;\n}\n";
    const ours = `// helpers\n${f}// end\n`;
    expect(text(unionOfAdditions(base, ours, `${base}${f}`))).toBe(ours);
  });

  it("sends back a block that is partly already there in another form", () => {
    const base = "// helpers\n";
    const mixed = `${line("a")}\nexport function g(): number {\n  return 2;\n}\n`;
    expect(unionOfAdditions(base, `${base}${line("a")}${line("b")}`, `${base}${mixed}`)).toBeNull();
  });

  it("keeps a line added inside two different bodies twice: it is two lines", () => {
    const base = "function f() {\n  a();\n}\n\nfunction g() {\n  b();\n}\n";
    const ours = "function f() {\n  a();\n  count += 1;\n}\n\nfunction g() {\n  b();\n}\n";
    const theirs = "function f() {\n  a();\n}\n\nfunction g() {\n  b();\n  count += 1;\n}\n";
    expect(unionOfAdditions(base, ours, theirs)).toEqual({
      text: "function f() {\n  a();\n  count += 1;\n}\n\nfunction g() {\n  b();\n  count += 1;\n}\n",
      hunks: 0,
      duplicatesDropped: 0,
    });
  });

  it("keeps a line added to a body that the file already has elsewhere", () => {
    const base = "function f() {\n  count += 1;\n}\n\nfunction g() {\n  b();\n}\n";
    const theirs = "function f() {\n  count += 1;\n}\n\nfunction g() {\n  b();\n  count += 1;\n}\n";
    const ours = `${base}// end\n`;
    expect(text(unionOfAdditions(base, ours, theirs))).toBe(`${theirs}// end\n`);
  });

  it("leaves binary files to the task", () => {
    expect(unionOfAdditions("", "a\0b", "c\0d")).toBeNull();
  });
});
