/** Scope label prefix of every container the tests create (reaped by the global teardown). */
export const testScopePrefix = "vitest-";
