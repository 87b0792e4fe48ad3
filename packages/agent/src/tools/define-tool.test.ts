import { AbortError } from "@longshot/core";
import type { Sandbox } from "@longshot/sandbox";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ToolContext } from "./agent-tool.js";
import { defineTool } from "./define-tool.js";
import { finishTool } from "./finish-tool.js";

function context(signal = new AbortController().signal): ToolContext {
  return { sandbox: {} as Sandbox, signal, recordWrite: () => undefined, reportActivity: () => undefined };
}

const echo = defineTool({
  name: "echo",
  description: "Echo",
  input: z.object({ text: z.string(), times: z.number().int().default(1) }),
  async execute(input) {
    if (input.text === "boom") throw new Error("it exploded");
    return input.text.repeat(input.times);
  },
});

describe("defineTool", () => {
  it("gives the model a JSON schema without $schema and with optional defaults", () => {
    expect(echo.parameters).toMatchObject({
      type: "object",
      properties: { text: { type: "string" }, times: { type: "integer", default: 1 } },
      required: ["text"],
    });
    expect(echo.parameters).not.toHaveProperty("$schema");
  });

  it("turns bad JSON, wrong arguments and thrown errors into failed results", async () => {
    expect(await echo.call("{not json", context())).toMatchObject({
      ok: false,
      output: expect.stringContaining("not valid JSON"),
    });
    expect(await echo.call('{"times":2}', context())).toMatchObject({
      ok: false,
      output: expect.stringContaining("text"),
    });
    expect(await echo.call('{"text":"boom"}', context())).toEqual({
      ok: false,
      output: "Error: it exploded",
    });
    expect(await echo.call('{"text":"ab","times":2}', context())).toEqual({ ok: true, output: "abab" });
  });

  it("lets cancellation through as AbortError", async () => {
    const controller = new AbortController();
    const slow = defineTool({
      name: "slow",
      description: "",
      input: z.object({}),
      async execute() {
        controller.abort();
        throw new Error("interrupted");
      },
    });
    await expect(slow.call("{}", context(controller.signal))).rejects.toBeInstanceOf(AbortError);
  });

  it("returns the finish handoff with defaults filled", async () => {
    const result = await finishTool.call('{"status":"partial","summary":"half"}', context());
    expect(result.handoff).toEqual({
      status: "partial",
      summary: "half",
      filesChanged: [],
      concerns: [],
      suggestions: [],
    });
  });
});
