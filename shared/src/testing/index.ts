// Test-only helpers (`@openvox/shared/testing`): never imported by the webhook's or the controller's
// production code (eslint.config.js), so the processes do not depend on them.
export * from './pki.js';
