import { InternalError, messageOf } from "@longshot/core";
import {
  assertPolicyDone,
  type FakePolicy,
  type PolicyObject,
  replyOf,
  UnexpectedCallError,
} from "./fake-policy.js";
import type { FakeReply } from "./fake-reply.js";
import type { FakeRequest } from "./fake-request.js";

/**
 * Routes each request to the policy named by its `x-longshot-role` header. A request with no
 * role, or a role not in the table, is an unexpected call (HTTP 500, recorded) unless a
 * `fallback` policy is given. `assertDone()` checks every routed policy.
 */
export function byRole(policies: Readonly<Record<string, FakePolicy>>, fallback?: FakePolicy): PolicyObject {
  return {
    reply(request: FakeRequest): FakeReply | Promise<FakeReply> {
      const policy = request.role === undefined ? undefined : policies[request.role];
      if (policy !== undefined) return replyOf(policy, request);
      if (fallback !== undefined) return replyOf(fallback, request);
      const known = Object.keys(policies).join(", ");
      const role = request.role === undefined ? "no x-longshot-role header" : `role "${request.role}"`;
      throw new UnexpectedCallError(
        `Unexpected call: request #${request.index} has ${role}; byRole knows ${known}.`,
      );
    },
    assertDone(): void {
      const problems: string[] = [];
      for (const policy of [...Object.values(policies), ...(fallback === undefined ? [] : [fallback])]) {
        try {
          assertPolicyDone(policy);
        } catch (error) {
          problems.push(messageOf(error));
        }
      }
      if (problems.length > 0) throw new InternalError(problems.join("\n"));
    },
  };
}
