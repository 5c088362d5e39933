// Public surface for other packages (the controller, tests, the benchmark).
export { startWebhook, type RunningWebhook, type WebhookDeps } from './start.js';
export { mutate } from './server/mutate.js';
export { mutateOrDeny } from './server/mutate-or-deny.js';
export { validate, validateDeps, type ValidateDeps } from './server/validate.js';
export { applyServerDefaults, derivedJavaArgs, FALLBACK_JAVA_ARGS } from './server/defaults.js';
export { createSpecValidator, schemaRule } from './server/rules/index.js';
export { parseSettings, type Settings } from './settings.js';
export { createApp, MUTATE_PATH, VALIDATE_PATH } from './http/app.js';
export {
  parseReview,
  type AdmissionReview,
  type AdmissionRequest,
  type AdmissionResponse,
  type StatusCause,
} from './admission/review.js';
export { noReferences, staticReferences, type ReferenceLookup, type ReferenceKind } from './references/lookup.js';
export { loadClusterConfig } from './references/cluster.js';
export { createReferenceCache, type ReferenceCache } from './references/informers.js';
