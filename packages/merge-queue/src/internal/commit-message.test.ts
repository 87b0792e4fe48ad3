import { describe, expect, it } from "vitest";
import { withTaskTrailer } from "./commit-message.js";

describe("withTaskTrailer", () => {
  it("adds the trailer as its own paragraph", () => {
    expect(withTaskTrailer("Add parser\n", "t0001")).toBe("Add parser\n\nLongshot-Task: t0001\n");
    expect(withTaskTrailer("Add parser\n\nLonger body.", "t0001")).toBe(
      "Add parser\n\nLonger body.\n\nLongshot-Task: t0001\n",
    );
  });

  it("joins existing trailers and does not repeat itself", () => {
    expect(withTaskTrailer("Fix\n\nCo-authored-by: A <a@x>", "t0002")).toBe(
      "Fix\n\nCo-authored-by: A <a@x>\nLongshot-Task: t0002\n",
    );
    expect(withTaskTrailer("Fix\n\nLongshot-Task: t0002\n", "t0002")).toBe("Fix\n\nLongshot-Task: t0002\n");
  });
});
