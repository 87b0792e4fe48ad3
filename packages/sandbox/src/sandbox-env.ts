/** PATH of a sandbox when nobody asks for another. */
export const defaultSandboxPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The complete environment of a command: a minimal base (`PATH`, `HOME`, `LANG`, `TMPDIR`)
 * overlaid with the sandbox's env and then the exec's env. Nothing else is inherited, so no LLM
 * or cloud keys of the orchestrator can reach a sandbox unless a caller passes them on purpose.
 */
export function sandboxEnv(
  base: { readonly home: string; readonly tmpdir: string; readonly path?: string },
  ...layers: readonly (Readonly<Record<string, string>> | undefined)[]
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: base.path ?? defaultSandboxPath,
    HOME: base.home,
    LANG: "C.UTF-8",
    TMPDIR: base.tmpdir,
  };
  for (const layer of layers) {
    if (layer !== undefined) Object.assign(env, layer);
  }
  return env;
}
