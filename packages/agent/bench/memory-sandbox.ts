// An in-memory Sandbox for the benchmark: tools answer from a map, so the measured CPU is the
// agent loop's own (model client, tool dispatch, events), not file-system or process work.
import type {
  ExecOptions,
  ExecResult,
  FileList,
  ListFilesOptions,
  ReadFileOptions,
  Sandbox,
  SearchOptions,
  SearchResult,
} from "@longshot/sandbox";

export function memorySandbox(id: string, files: Map<string, string>): Sandbox {
  return {
    id,
    provider: "memory",
    workdir: `/memory/${id}`,
    branch: `bench/${id}`,
    baseCommit: "0".repeat(40),
    isolation: { network: false, filesystem: false, processes: false, cpu: false, memory: false },
    async exec(_options: ExecOptions): Promise<ExecResult> {
      return { exitCode: 0, stdout: "", stderr: "", timedOut: false, truncated: false, durationMs: 0 };
    },
    async readFile(path: string, _options?: ReadFileOptions): Promise<string> {
      const content = files.get(path);
      if (content === undefined) throw new Error(`${path} does not exist`);
      return content;
    },
    async writeFile(path: string, content: string | Uint8Array): Promise<void> {
      files.set(path, typeof content === "string" ? content : new TextDecoder().decode(content));
    },
    async listFiles(_dir?: string, _options?: ListFilesOptions): Promise<FileList> {
      return {
        entries: [...files.keys()].map((path) => ({ path, type: "file" as const })),
        truncated: false,
      };
    },
    async search(pattern: string, _options?: SearchOptions): Promise<SearchResult> {
      const matches = [];
      for (const [file, content] of files) {
        const lines = content.split("\n");
        for (let index = 0; index < lines.length; index++) {
          const text = lines[index] ?? "";
          if (text.includes(pattern)) matches.push({ file, line: index + 1, text });
        }
      }
      return { matches: matches.slice(0, 200), truncated: matches.length > 200 };
    },
    async commit(): Promise<string | null> {
      return "1".repeat(40);
    },
    async exportResult(): Promise<string> {
      return "1".repeat(40);
    },
    async moveTo(): Promise<void> {},
    async destroy(): Promise<void> {},
  };
}
