import { readFile } from "node:fs/promises";
import { InternalError, throwIfAborted } from "@longshot/core";

/** The prompts this package ships, one file each in `prompts/`. */
export const promptNames = ["plan", "split", "replan", "gap-analysis", "repair"] as const;
export type PromptName = (typeof promptNames)[number];

/** Values a prompt's `{{placeholders}}` are filled with. */
export type PromptValues = Readonly<Record<string, string | number>>;

/** One versioned prompt (this package's, or another package's read with {@link parsePrompt}). */
export interface PromptTemplate {
  readonly name: string;
  /** `<name>@<version>`, such as `plan@1`; recorded with the plan. */
  readonly version: string;
  /** The text after the version line, with placeholders. */
  readonly body: string;
}

const versionLine = /^<!-- version: ([\w.-]+) -->\r?\n/;
const placeholder = /\{\{(\w+)\}\}/g;

/** Parses a prompt file: a `<!-- version: N -->` first line, then the template. */
export function parsePrompt(name: string, text: string): PromptTemplate {
  const match = versionLine.exec(text);
  if (match === null) {
    throw new InternalError(`Prompt ${name} does not start with a "<!-- version: N -->" line.`);
  }
  return { name, version: `${name}@${match[1]}`, body: text.slice(match[0].length).trim() };
}

/**
 * Fills a template's placeholders. Throws an InternalError naming any placeholder without a
 * value, so a prompt never reaches a model with `{{holes}}` in it.
 */
export function renderPrompt(template: PromptTemplate, values: PromptValues): string {
  const missing = new Set<string>();
  const text = template.body.replace(placeholder, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) {
      missing.add(key);
      return whole;
    }
    return String(value);
  });
  if (missing.size > 0) {
    throw new InternalError(`Prompt ${template.version} needs values for ${[...missing].join(", ")}.`);
  }
  return text;
}

/** The package's prompts, loaded once; render them by name. */
export class PromptLibrary {
  readonly #templates: ReadonlyMap<string, PromptTemplate>;

  constructor(templates: readonly PromptTemplate[]) {
    this.#templates = new Map(templates.map((template) => [template.name, template]));
    for (const name of promptNames) {
      if (!this.#templates.has(name)) throw new InternalError(`Prompt ${name} is missing.`);
    }
  }

  /** The template of `name`. */
  get(name: PromptName): PromptTemplate {
    const template = this.#templates.get(name);
    if (template === undefined) throw new InternalError(`Prompt ${name} is missing.`);
    return template;
  }

  render(name: PromptName, values: PromptValues): string {
    return renderPrompt(this.get(name), values);
  }

  /** Version of every prompt, such as `{ plan: "plan@1", … }`. */
  versions(): Record<PromptName, string> {
    return Object.fromEntries(promptNames.map((name) => [name, this.get(name).version])) as Record<
      PromptName,
      string
    >;
  }
}

/** Where the prompts ship: `prompts/` next to `src/` and `dist/`. */
export const defaultPromptDirectory: URL = new URL("../prompts/", import.meta.url);

/** Reads every prompt from `directory` (default: the package's own `prompts/`). */
export async function loadPrompts(
  signal: AbortSignal,
  directory: URL = defaultPromptDirectory,
): Promise<PromptLibrary> {
  throwIfAborted(signal);
  const templates = await Promise.all(promptNames.map((name) => readPrompt(name, directory, signal)));
  return new PromptLibrary(templates);
}

/** Reads and parses the prompt `name` from `<directory>/<name>.md` (see {@link parsePrompt}). */
export async function readPrompt(name: string, directory: URL, signal: AbortSignal): Promise<PromptTemplate> {
  return parsePrompt(name, await readFile(new URL(`${name}.md`, directory), { encoding: "utf8", signal }));
}
