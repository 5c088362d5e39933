// The mutating endpoint as registered: deny what validation denies, with every cause, else the defaults.
// The API server checks the CRD's CEL rules (@openvox/shared server-invariants) after the mutating
// webhooks and before the validating ones, and stops at the first stage that fails: a Server that
// broke a CEL rule would show the user those rules' messages only, never the webhook's other causes.
// Denying here, before the CEL stage, keeps "every violation at once".
import type { AdmissionResponse, ValidReview } from '../admission/review.js';
import { mutate } from './mutate.js';
import { validate, type ValidateDeps } from './validate.js';

export function mutateOrDeny(review: ValidReview, deps: ValidateDeps): AdmissionResponse {
  const verdict = validate(review, deps);
  // A denial keeps its warnings (the validating webhook will not run); an allowed object gets them there.
  return verdict.allowed ? mutate(review) : verdict;
}
