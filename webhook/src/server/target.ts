// Facts about the admitted object that both handlers need.
import { GROUP, VERSION } from '@openvox/shared';
import { isPlainObject, type AdmissionRequest } from '../admission/review.js';
import type { Target } from '../admission/responses.js';

export { GROUP, VERSION };

/** What a denial names: kubectl prints `The Server "<name>" is invalid`. */
export function serverTarget(request: AdmissionRequest, object: unknown): Target {
  const metadata = isPlainObject(object) && isPlainObject(object.metadata) ? object.metadata : {};
  const name =
    (typeof metadata.name === 'string' && metadata.name) ||
    request.name ||
    (typeof metadata.generateName === 'string' ? metadata.generateName : '');
  return { group: GROUP, kind: 'Server', name };
}

export function namespaceOf(request: AdmissionRequest, object: unknown): string | undefined {
  if (request.namespace) return request.namespace;
  const metadata = isPlainObject(object) && isPlainObject(object.metadata) ? object.metadata : {};
  return typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
}
