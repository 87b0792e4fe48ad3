export { modalSandboxBackend } from "./modal-backend.js";
export type {
  ModalCallOptions,
  ModalClient,
  ModalCreateRequest,
  ModalRunOptions,
  ModalRunResult,
  ModalSandboxInfo,
  ModalSession,
} from "./modal-client.js";
export { modalIsolation } from "./modal-isolation.js";
export { ModalSandboxProvider, type ModalSandboxProviderOptions } from "./modal-sandbox-provider.js";
export {
  defaultModalApp,
  defaultModalImage,
  type ModalSdkOptions,
  modalSdkClient,
  modalWorkerLayer,
} from "./modal-sdk-client.js";
