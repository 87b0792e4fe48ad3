import { LongshotError } from "@longshot/core";
import type { FakeReply } from "./fake-reply.js";
import type { FakeRequest } from "./fake-request.js";

/** Decides the reply to one request. Throwing makes the server answer 500 and record a failure. */
export type PolicyFunction = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/** A policy with state that can check, at the end of a test, that it was used as planned. */
export interface PolicyObject {
  reply(request: FakeRequest): FakeReply | Promise<FakeReply>;
  /** Throws when the policy was not used as planned (steps left unused, unexpected calls). */
  assertDone?(): void;
}

/** What `startFakeLlm` serves: a plain function or a stateful policy object. */
export type FakePolicy = PolicyFunction | PolicyObject;

/**
 * Thrown by a policy that has no answer for a request. The server answers HTTP 500 with the
 * message and `x-should-retry: false`, and records the message in `server.failures`.
 */
export class UnexpectedCallError extends LongshotError {}

/** Asks any policy for its reply. */
export function replyOf(policy: FakePolicy, request: FakeRequest): FakeReply | Promise<FakeReply> {
  return typeof policy === "function" ? policy(request) : policy.reply(request);
}

/** Runs a policy's own end-of-test check, if it has one. */
export function assertPolicyDone(policy: FakePolicy): void {
  if (typeof policy !== "function") policy.assertDone?.();
}
