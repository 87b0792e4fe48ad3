// Test support: an offline, recording fake of the service at the SDK boundary (runs commands on
// this machine; see `LocalRemoteService` in @longshot/sandbox/conformance). Never used by the product.
export { LocalModalClient } from "./local-modal-client.js";
