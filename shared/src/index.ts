export * from './api/meta.js';
export * from './api/schema.js';
export * from './api/common.js';
export * from './api/server.js';
export * from './api/config.js';
export * from './api/certificate.js';
export * from './api/certificate-authority.js';
export * from './api/pool.js';
export * from './api/kinds.js';
export * from './crd.js';
export * from './labels.js';
export * from './validation.js';
// Transitional: test/src/cluster/pki.ts still imports these from the root; every other caller uses
// @openvox/shared/testing. Drop this line once that file does too.
// eslint-disable-next-line no-restricted-imports -- the transitional re-export above
export * from './testing/pki.js';
export * from './pki-authority.js';
export * from './pki-duration.js';
export * from './quantity.js';
export * from './webhook-paths.js';
