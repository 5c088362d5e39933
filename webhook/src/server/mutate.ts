// Mutating admission for Server: a JSONPatch from the object as sent to the object with defaults.
import jsonpatch from 'fast-json-patch';
import {
  isPlainObject,
  isServerRequest,
  isWrite,
  type AdmissionResponse,
  type ValidReview,
} from '../admission/review.js';
import { allowed, patched } from '../admission/responses.js';
import { applyServerDefaults } from './defaults.js';
import { GROUP, VERSION } from './target.js';

export function mutate(review: ValidReview): AdmissionResponse {
  const request = review.request;
  if (!isServerRequest(request, GROUP, VERSION) || !isWrite(request) || !isPlainObject(request.object)) {
    return allowed(request.uid);
  }
  const original = request.object;
  return patched(request.uid, jsonpatch.compare(original, applyServerDefaults(original)));
}
