/** What a README says that can seed the interview. */
export interface ReadmeFacts {
  /** The text of the first `# ` heading. */
  readonly title: string | undefined;
  /** The first paragraph of prose (badges, images, HTML and headings skipped), at most ~300 characters. */
  readonly firstParagraph: string | undefined;
  /** Bullet items under a "Features" (or "Highlights", "What it does") heading, at most six. */
  readonly features: readonly string[];
}

const featureHeading = /^#{2,4}\s+(?:key\s+|core\s+|main\s+)?(?:features|highlights|what it does)\b/i;

/** Reads a README's title, first paragraph and feature bullets. Pure. */
export function readmeFacts(text: string): ReadmeFacts {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const title = lines
    .find((line) => /^#\s+\S/.test(line))
    ?.replace(/^#\s+/, "")
    .trim();
  return {
    title: title === "" ? undefined : title,
    firstParagraph: firstParagraph(lines),
    features: features(lines),
  };
}

function firstParagraph(lines: readonly string[]): string | undefined {
  const paragraph: string[] = [];
  let inFence = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith("```")) inFence = !inFence;
    const prose = !inFence && trimmed !== "" && !isDecoration(trimmed);
    if (prose) paragraph.push(trimmed);
    else if (paragraph.length > 0) break;
  }
  if (paragraph.length === 0) return undefined;
  return shorten(plain(paragraph.join(" ")), 300);
}

function isDecoration(line: string): boolean {
  return (
    line.startsWith("#") ||
    line.startsWith("```") ||
    line.startsWith("<") ||
    line.startsWith("![") ||
    line.startsWith("[![") ||
    line.startsWith("|") ||
    line.startsWith(">") ||
    /^[-*+]\s|^\d+[.)]\s/.test(line) ||
    /^(?:[-=*_]\s*){3,}$/.test(line)
  );
}

function features(lines: readonly string[]): string[] {
  const start = lines.findIndex((line) => featureHeading.test(line.trim()));
  if (start < 0) return [];
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const trimmed = line.trim();
    if (trimmed.startsWith("#")) break;
    const bullet = /^(?:[-*+]|\d+[.)])\s+(.+)$/.exec(trimmed)?.[1];
    if (bullet !== undefined && !/^\s/.test(line)) items.push(shorten(plain(bullet), 160));
    if (items.length === 6) break;
  }
  return items;
}

/** Drops inline Markdown: links keep their text, emphasis and code marks go. */
function plain(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1/g, "$2")
    .replace(/\s+/g, " ")
    .trim();
}

/** Cuts at the last sentence end within `max` characters, or at a word with an ellipsis. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const sentenceEnd = Math.max(head.lastIndexOf(". "), head.lastIndexOf("! "), head.lastIndexOf("? "));
  if (sentenceEnd > max / 3) return head.slice(0, sentenceEnd + 1);
  return `${head.slice(0, head.lastIndexOf(" ")).trimEnd()}…`;
}
