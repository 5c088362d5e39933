// AdmissionReview v1 types and the shape check applied to every request body.

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionRequest {
  uid: string;
  kind?: GroupVersionKind;
  resource?: GroupVersionResource;
  subResource?: string;
  name?: string;
  namespace?: string;
  operation?: Operation | string;
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
}

export interface StatusCause {
  type: string;
  field: string;
  message: string;
}

export interface Status {
  apiVersion?: 'v1';
  kind?: 'Status';
  status: 'Failure';
  code: number;
  reason: string;
  message: string;
  details: { name: string; group: string; kind: string; causes: StatusCause[] };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Status;
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

/** A request that passed the shape check: `request.uid` is a non-empty string. */
export interface ValidReview extends AdmissionReview {
  request: AdmissionRequest;
}

export type ParseResult = { ok: true; review: ValidReview } | { ok: false; error: string };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts only `admission.k8s.io/v1` AdmissionReviews with a request uid; everything else is a 400. */
export function parseReview(body: unknown): ParseResult {
  if (!isPlainObject(body)) return { ok: false, error: 'body must be a JSON object (an AdmissionReview)' };
  if (body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview') {
    return { ok: false, error: 'body must be an AdmissionReview with apiVersion admission.k8s.io/v1' };
  }
  const request = body.request;
  if (!isPlainObject(request)) return { ok: false, error: 'AdmissionReview has no request' };
  if (typeof request.uid !== 'string' || request.uid === '') {
    return { ok: false, error: 'AdmissionReview request has no uid' };
  }
  return { ok: true, review: body as unknown as ValidReview };
}

/** True when the request is about our Server kind (any other group/version/kind is let through). */
export function isServerRequest(request: AdmissionRequest, group: string, version: string): boolean {
  const kind = request.kind;
  return isPlainObject(kind) && kind.group === group && kind.version === version && kind.kind === 'Server';
}

/** CREATE or UPDATE of the main resource: the only requests the webhook judges or defaults. */
export function isWrite(request: AdmissionRequest): boolean {
  return (request.operation === 'CREATE' || request.operation === 'UPDATE') && !request.subResource;
}
