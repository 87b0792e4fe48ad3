/**
 * A rough shell splitter for the command guard: breaks a command line into simple commands
 * (at `;`, `&`, `|`, newlines, parentheses, backticks and `$(`) and each into words with quotes
 * removed. It is not a shell parser; it only has to see through ordinary spellings.
 */
export function simpleCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] as string;
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === "\\" && quote === '"' && index + 1 < line.length) {
        index += 1;
        word += line[index];
      } else word += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === "\\" && index + 1 < line.length) {
      index += 1;
      word += line[index];
      inWord = true;
    } else if (char === "$" && line[index + 1] === "(") {
      endCommand();
      index += 1;
    } else if (";&|\n()`".includes(char)) {
      endCommand();
    } else if (char === " " || char === "\t") {
      endWord();
    } else {
      word += char;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

const wrappers = new Set([
  "sudo",
  "doas",
  "command",
  "exec",
  "nohup",
  "time",
  "nice",
  "ionice",
  "env",
  "busybox",
  "xargs",
]);

/** The words of a simple command from the program on, past variable assignments and wrappers such as `sudo` or `env`. */
export function stripWrappers(words: readonly string[]): string[] {
  let index = 0;
  while (index < words.length) {
    const word = words[index] as string;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) index += 1;
    else if (wrappers.has(baseName(word))) {
      index += 1;
      while (index < words.length && (words[index] as string).startsWith("-")) index += 1;
    } else break;
  }
  return words.slice(index);
}

/** `/usr/bin/rm` → `rm`. */
export function baseName(word: string): string {
  const slash = word.lastIndexOf("/");
  return slash === -1 ? word : word.slice(slash + 1);
}
