import { type Config, loadConfig, UserError } from "@longshot/core";
import type { SandboxBackend } from "@longshot/sandbox";
import { e2bSandboxBackend } from "@longshot/sandbox-e2b";
import { modalSandboxBackend } from "@longshot/sandbox-modal";
import { describe, expect, it } from "vitest";
import type { SandboxBackends } from "./sandbox-backends.js";
import { checkSandboxServices, sandboxServiceChecks } from "./sandbox-preflight.js";

function config(env: Record<string, string>): Config {
  return loadConfig({ env }).config;
}

/** The real E2B and Modal backends, their service calls recording what they were given and failing as told. */
function probes(failure: (() => Error) | "hang" | null): {
  readonly backends: SandboxBackends;
  readonly seen: string[];
} {
  const seen: string[] = [];
  const faked = (backend: SandboxBackend, what: (config: Config) => string): SandboxBackend => ({
    ...backend,
    service: {
      ...backend.service!,
      async probe(config, signal) {
        seen.push(what(config));
        if (failure === "hang")
          await new Promise((_resolve, reject) => signal.addEventListener("abort", reject));
        else if (failure !== null) throw failure();
      },
    },
  });
  return {
    seen,
    backends: {
      e2b: faked(e2bSandboxBackend(), (config) => `e2b ${config.E2B_API_KEY}`),
      modal: faked(
        modalSandboxBackend(),
        (config) => `modal ${config.MODAL_TOKEN_ID} ${config.MODAL_TOKEN_SECRET} ${config.MODAL_APP}`,
      ),
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).message;
}

const unreachable = () =>
  new TypeError("fetch failed", {
    cause: Object.assign(new Error("getaddrinfo EAI_AGAIN api.e2b.app"), { code: "EAI_AGAIN" }),
  });

describe("checkSandboxServices", () => {
  it("asks nothing of local and Docker runs", async () => {
    const fake = probes(() => new Error("must not be called"));
    await checkSandboxServices(config({ SANDBOX_PROVIDER: "local" }), { backends: fake.backends });
    await checkSandboxServices(config({ SANDBOX_PROVIDER: "docker" }), { backends: fake.backends });
    expect(fake.seen).toEqual([]);
  });

  it("names the missing key of the provider, or of a route's provider", async () => {
    const fake = probes(null);
    expect(
      await refusal(checkSandboxServices(config({ SANDBOX_PROVIDER: "e2b" }), { backends: fake.backends })),
    ).toBe("SANDBOX_PROVIDER=e2b needs E2B_API_KEY; set it or choose --sandbox local.");
    expect(
      await refusal(
        checkSandboxServices(config({ SANDBOX_PROVIDER: "modal", MODAL_TOKEN_ID: "ak-1" }), {
          backends: fake.backends,
        }),
      ),
    ).toBe(
      "SANDBOX_PROVIDER=modal needs MODAL_TOKEN_ID and MODAL_TOKEN_SECRET; set them or choose --sandbox local.",
    );
    const routed = config({ SANDBOX_ROUTES: '[{"provides":["large"],"sandbox":"modal","cpuCores":16}]' });
    expect(await refusal(checkSandboxServices(routed, { backends: fake.backends }))).toMatch(
      /^SANDBOX_ROUTES \(sandbox modal\) needs MODAL_TOKEN_ID and MODAL_TOKEN_SECRET/,
    );
    expect(fake.seen).toEqual([]);
  });

  it("passes when the service answers, asking it once per kind with the configured key", async () => {
    const fake = probes(null);
    await checkSandboxServices(
      config({
        SANDBOX_PROVIDER: "modal",
        MODAL_TOKEN_ID: "ak-id",
        MODAL_TOKEN_SECRET: "as-secret",
        E2B_API_KEY: "e2b_key",
        SANDBOX_ROUTES:
          '[{"provides":["network"],"sandbox":"e2b","network":true},{"provides":["large"],"sandbox":"modal"}]',
      }),
      { backends: fake.backends },
    );
    expect(fake.seen).toEqual(["modal ak-id as-secret longshot", "e2b e2b_key"]);
  });

  it("tells an unreachable service from a refused key, without printing the key", async () => {
    const e2b = config({ SANDBOX_PROVIDER: "e2b", E2B_API_KEY: "e2b_secret_key_123" });
    expect(await refusal(checkSandboxServices(e2b, { backends: probes(unreachable).backends }))).toBe(
      "The E2B service cannot be reached (fetch failed); check the network, or choose --sandbox local.",
    );
    const refused = () => new Error("401: Invalid API key e2b_secret_key_123");
    const message = await refusal(checkSandboxServices(e2b, { backends: probes(refused).backends }));
    expect(message).toBe(
      "The E2B service refused E2B_API_KEY (401: Invalid API key ***); check them, or choose --sandbox local.",
    );
  });

  it("gives up on a service that does not answer, saying so", async () => {
    const modal = config({ SANDBOX_PROVIDER: "modal", MODAL_TOKEN_ID: "ak-1", MODAL_TOKEN_SECRET: "as-2" });
    expect(
      await refusal(checkSandboxServices(modal, { backends: probes("hang").backends, timeoutMs: 200 })),
    ).toBe(
      "The Modal service cannot be reached (no answer within 200 ms); check the network, or choose --sandbox local.",
    );
  });

  it("is a failed doctor check with the same sentence", async () => {
    const e2b = config({ SANDBOX_PROVIDER: "e2b", E2B_API_KEY: "k-123456" });
    expect(await sandboxServiceChecks(e2b, probes(unreachable).backends)).toEqual([
      {
        name: "sandbox service",
        status: "fail",
        detail:
          "The E2B service cannot be reached (fetch failed); check the network, or choose --sandbox local.",
      },
    ]);
    expect(await sandboxServiceChecks(e2b, probes(null).backends)).toEqual([
      { name: "sandbox service", status: "ok", detail: "e2b answers with the configured key" },
    ]);
    expect(await sandboxServiceChecks(config({}), probes(null).backends)).toEqual([]);
  });
});
