export { containerHome, containerTmp, dockerIsolation } from "./docker-sandbox.js";
export {
  DockerSandboxProvider,
  type DockerSandboxProviderOptions,
  defaultDockerImage,
  sandboxIdFor,
} from "./docker-sandbox-provider.js";
