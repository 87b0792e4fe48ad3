import { z } from "zod";
import type { AgentTool } from "./agent-tool.js";
import { defineTool } from "./define-tool.js";

const path = z.string().min(1).describe("Path relative to the repository root");

/** `read_file`: a file's text, whole or a line range. */
export const readFileTool: AgentTool = defineTool({
  name: "read_file",
  description:
    "Read a text file. Give startLine/endLine (1-based, inclusive) to read part of a large file. Long output is cut in the middle.",
  input: z.object({
    path,
    startLine: z.number().int().min(1).optional().describe("First line to read, 1-based"),
    endLine: z.number().int().min(1).optional().describe("Last line to read, inclusive"),
  }),
  readOnly: true,
  async execute(input, context) {
    const content = await context.sandbox.readFile(input.path, {
      ...(input.startLine === undefined ? {} : { startLine: input.startLine }),
      ...(input.endLine === undefined ? {} : { endLine: input.endLine }),
      signal: context.signal,
    });
    return content === "" ? "(empty)" : content;
  },
  omissionNote(input, { characters, firstLine, lastLine }) {
    const offset = (input.startLine ?? 1) - 1;
    const [first, last] = [firstLine + offset, lastLine + offset];
    return `[… lines ${first}–${last} of ${input.path} omitted (${characters} characters); to see them, call read_file with path ${JSON.stringify(input.path)}, startLine ${first}, endLine ${last} (or a part of that range) …]`;
  },
});

/** `write_file`: creates or overwrites a whole file. */
export const writeFileTool: AgentTool = defineTool({
  name: "write_file",
  description:
    "Create a file or replace its whole content. Parent directories are created. Prefer edit_file for changes to existing files.",
  input: z.object({ path, content: z.string().describe("The complete new content of the file") }),
  async execute(input, context) {
    await context.sandbox.writeFile(input.path, input.content, { signal: context.signal });
    context.recordWrite(input.path);
    return `Wrote ${input.content.length} characters to ${input.path}.`;
  },
});

/** `edit_file`: exact text replacement; refuses when the text is missing or ambiguous. */
export const editFileTool: AgentTool = defineTool({
  name: "edit_file",
  description:
    "Replace exact text in a file. oldText must match the file exactly (whitespace included) and occur once, unless replaceAll is true.",
  input: z.object({
    path,
    oldText: z.string().min(1).describe("Text to replace, copied exactly from the file"),
    newText: z.string().describe("Replacement text"),
    replaceAll: z
      .boolean()
      .default(false)
      .describe("Replace every occurrence instead of requiring exactly one"),
  }),
  async execute(input, context) {
    const content = await context.sandbox.readFile(input.path, { signal: context.signal });
    const occurrences = countOccurrences(content, input.oldText);
    if (occurrences === 0) {
      return {
        ok: false,
        output: `Error: oldText was not found in ${input.path}. Read the file again and copy the exact text, including whitespace and indentation.`,
      };
    }
    if (occurrences > 1 && !input.replaceAll) {
      return {
        ok: false,
        output: `Error: oldText occurs ${occurrences} times in ${input.path}. Include more surrounding lines so it is unique, or set replaceAll to true.`,
      };
    }
    const updated = input.replaceAll
      ? content.split(input.oldText).join(input.newText)
      : content.replace(input.oldText, () => input.newText);
    await context.sandbox.writeFile(input.path, updated, { signal: context.signal });
    context.recordWrite(input.path);
    return `Replaced ${occurrences === 1 ? "1 occurrence" : `${occurrences} occurrences`} in ${input.path}.`;
  },
});

function countOccurrences(text: string, fragment: string): number {
  let count = 0;
  for (
    let index = text.indexOf(fragment);
    index >= 0;
    index = text.indexOf(fragment, index + fragment.length)
  ) {
    count++;
  }
  return count;
}

/** `list_files`: a directory's entries, or every file below it. */
export const listFilesTool: AgentTool = defineTool({
  name: "list_files",
  description:
    "List a directory (the repository root by default). Set recursive to list every file below it.",
  input: z.object({
    path: z.string().default(".").describe("Directory relative to the repository root"),
    recursive: z.boolean().default(false),
  }),
  readOnly: true,
  async execute(input, context) {
    const list = await context.sandbox.listFiles(input.path, {
      recursive: input.recursive,
      limit: 500,
      signal: context.signal,
    });
    const lines = list.entries.map((entry) => (entry.type === "directory" ? `${entry.path}/` : entry.path));
    if (list.truncated) lines.push("[… more entries; list a subdirectory …]");
    return lines.length === 0 ? "(no entries)" : lines.join("\n");
  },
});

/** `search`: regular-expression search over the repository's files. */
export const searchTool: AgentTool = defineTool({
  name: "search",
  description:
    "Search file contents with a regular expression (ripgrep syntax). Returns file:line: text for each match.",
  input: z.object({
    pattern: z.string().min(1),
    path: z.string().optional().describe("Directory or file to search; the repository root by default"),
    glob: z.string().optional().describe("Only files matching this glob, such as *.ts"),
    ignoreCase: z.boolean().default(false),
    literal: z.boolean().default(false).describe("Treat the pattern as plain text"),
  }),
  readOnly: true,
  async execute(input, context) {
    const result = await context.sandbox.search(input.pattern, {
      ...(input.path === undefined ? {} : { path: input.path }),
      ...(input.glob === undefined ? {} : { glob: input.glob }),
      ignoreCase: input.ignoreCase,
      literal: input.literal,
      maxResults: 200,
      signal: context.signal,
    });
    const lines = result.matches.map((match) => `${match.file}:${match.line}: ${match.text}`);
    if (result.truncated) lines.push("[… more matches; narrow the pattern, path or glob …]");
    return lines.length === 0 ? "No matches." : lines.join("\n");
  },
});
