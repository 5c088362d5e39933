// The root entry: the API (schemas, validators, CRDs) for the webhook and the tools. PKI is its own entry
// (@openvox/shared/pki; the controller's runtime entry re-exports it): the webhook never signs anything.
export * from './api/meta.js';
export * from './api/schema.js';
export * from './api/common.js';
export * from './api/server.js';
export * from './api/server-invariants.js';
export * from './api/config.js';
export * from './api/certificate.js';
export * from './api/certificate-authority.js';
export * from './api/pool.js';
export * from './api/http-auth.js';
export * from './api/node-classifier.js';
export * from './api/report-processor.js';
export * from './api/database.js';
export * from './api/signing-policy.js';
export * from './api/agent-certificate.js';
export * from './api/csr-attributes.js';
export * from './api/kinds.js';
export * from './crd.js';
export * from './labels.js';
export * from './validation.js';
export * from './pki-duration.js';
export * from './quantity.js';
export * from './webhook-paths.js';
export * from './api-errors.js';
export * from './watch-namespaces.js';
