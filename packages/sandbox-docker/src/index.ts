/** The dockerode client class, so apps can pass `new Docker()` (which honours DOCKER_HOST) without depending on dockerode. */
export { default as Docker } from "dockerode";
export { type DockerCheck, dockerSandboxBackend } from "./docker-backend.js";
export { containerHome, containerTmp, dockerIsolation } from "./docker-sandbox.js";
export {
  DockerSandboxProvider,
  type DockerSandboxProviderOptions,
  defaultDockerImage,
  sandboxIdFor,
} from "./docker-sandbox-provider.js";
