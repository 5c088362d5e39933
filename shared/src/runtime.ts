// The controller's view of @openvox/shared: the constants, labels, PKI, durations, quantities and Server
// invariants it runs, and the API's types as types only. The root entry also builds the API schemas
// (typebox) and their validators (ajv) at import, ~25 MiB of RSS a controller never uses.
export * from './api/meta.js';
export * from './labels.js';
export * from './api/server-invariants.js';
export * from './pki-authority.js';
export * from './pki-duration.js';
export * from './quantity.js';
export * from './api-errors.js';
export * from './watch-namespaces.js';
export type { Condition } from './api/schema.js';
export type * from './api/common.js';
export type * from './api/server.js';
export type * from './api/config.js';
export type * from './api/certificate.js';
export type * from './api/certificate-authority.js';
export type * from './api/pool.js';
export type * from './api/http-auth.js';
export type * from './api/node-classifier.js';
export type * from './api/report-processor.js';
export type * from './api/database.js';
export type * from './api/signing-policy.js';
export type * from './api/agent-certificate.js';
export * from './api/csr-attributes.js';
