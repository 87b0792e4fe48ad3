import { describe, expect, it } from "vitest";
import { EmitRelay } from "./emit-relay.js";
import type { NewEvent } from "./events.js";

const log = (message: string): NewEvent => ({ type: "log", level: "info", message, taskId: null });

describe("EmitRelay", () => {
  it("drops events until bound, sends them to the emitter bound last, and drops them again once unbound", () => {
    const relay = new EmitRelay();
    const first: NewEvent[] = [];
    const second: NewEvent[] = [];
    relay.emit(log("before"));
    relay.bind((event) => first.push(event));
    relay.emit(log("one"));
    relay.bind((event) => second.push(event));
    relay.emit(log("two"));
    relay.bind(null);
    relay.emit(log("after"));
    expect(first).toEqual([log("one")]);
    expect(second).toEqual([log("two")]);
  });
});
