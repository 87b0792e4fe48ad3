/**
 * A deliberately strict reader for the HTML the report emits, for tests: every element must be
 * closed explicitly and in order (self-closing only for void elements and inside SVG), attribute
 * values must be quoted, and text may hold no raw `<` or `>` and no `&` that does not start an
 * entity. A browser would accept far more; the point is to catch unescaped text and broken
 * nesting. Throws with the offset of the first problem.
 */
export interface HtmlElement {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: HtmlNode[];
}
export type HtmlNode = HtmlElement | { readonly text: string };

const voids = new Set(["meta", "link", "br", "hr", "img", "input"]);
const rawText = new Set(["script", "style"]);
const entity = /^&(amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);/i;

function decode(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&");
}

function checkText(text: string, offset: number): void {
  for (let index = text.indexOf("&"); index !== -1; index = text.indexOf("&", index + 1)) {
    if (!entity.test(text.slice(index))) throw new Error(`bare & at ${offset + index}: ${text.slice(index, index + 20)}`);
  }
  const bad = text.search(/[<>]/);
  if (bad !== -1) throw new Error(`raw ${text[bad]} in text at ${offset + bad}: ${text.slice(bad, bad + 40)}`);
}

export function parseStrictHtml(source: string): HtmlElement {
  const root: HtmlElement = { tag: "#root", attributes: {}, children: [] };
  const stack: HtmlElement[] = [root];
  let position = 0;
  const doctype = /^<!DOCTYPE html>\s*/i.exec(source);
  if (doctype) position = doctype[0].length;
  while (position < source.length) {
    const open = source.indexOf("<", position);
    const textEnd = open === -1 ? source.length : open;
    if (textEnd > position) {
      const text = source.slice(position, textEnd);
      checkText(text, position);
      stack.at(-1)!.children.push({ text: decode(text) });
    }
    if (open === -1) break;
    const close = /^<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/.exec(source.slice(open));
    if (close) {
      const top = stack.pop();
      if (!top || top.tag !== close[1]!.toLowerCase() || top === root) {
        throw new Error(`</${close[1]}> at ${open} closes <${top?.tag ?? "nothing"}>`);
      }
      position = open + close[0].length;
      continue;
    }
    const tag = /^<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][a-zA-Z0-9_:.-]*(?:="[^"<]*")?)*)\s*(\/?)>/.exec(
      source.slice(open),
    );
    if (!tag) throw new Error(`malformed tag at ${open}: ${source.slice(open, open + 60)}`);
    const name = tag[1]!.toLowerCase();
    const attributes: Record<string, string> = {};
    for (const match of tag[2]!.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:.-]*)(?:="([^"]*)")?/g)) {
      const value = match[2] ?? "";
      checkText(value, open);
      if (match[1]! in attributes) throw new Error(`duplicate attribute ${match[1]} at ${open}`);
      attributes[match[1]!] = decode(value);
    }
    const element: HtmlElement = { tag: name, attributes, children: [] };
    stack.at(-1)!.children.push(element);
    position = open + tag[0].length;
    const inSvg = stack.some((item) => item.tag === "svg");
    if (tag[3] === "/") {
      if (!voids.has(name) && !inSvg) throw new Error(`<${name}/> self-closes outside SVG at ${open}`);
      continue;
    }
    if (voids.has(name)) continue;
    if (rawText.has(name)) {
      const end = source.indexOf(`</${name}>`, position);
      if (end === -1) throw new Error(`<${name}> at ${open} never closes`);
      element.children.push({ text: source.slice(position, end) });
      position = end + name.length + 3;
      continue;
    }
    stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed: ${stack.slice(1).map((item) => item.tag).join(" > ")}`);
  return root;
}

/** Every element below `node` (depth first) that passes `test`. */
export function findAll(node: HtmlElement, test: (element: HtmlElement) => boolean): HtmlElement[] {
  const found: HtmlElement[] = [];
  const visit = (element: HtmlElement) => {
    for (const child of element.children) {
      if ("tag" in child) {
        if (test(child)) found.push(child);
        visit(child);
      }
    }
  };
  visit(node);
  return found;
}

/** The text inside an element, decoded. */
export function textOf(node: HtmlNode): string {
  return "tag" in node ? node.children.map(textOf).join("") : node.text;
}
