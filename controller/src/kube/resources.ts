// The API resources the controller reads and writes, with their REST paths.
import { API_VERSION, LABEL_MANAGED_BY, LABEL_SERVER, MANAGER } from '@openvox/shared/runtime';

export interface ResourceType {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Informers of this resource list and watch only objects with these labels. */
  labelSelector?: string;
  /** Informers list and watch only objects whose fields match (the API server filters, e.g. Events by reason). */
  fieldSelector?: string;
  /**
   * What informers keep of each object: 'owned-spec', only the part of the spec our field manager set
   * (owned-fields.ts); 'pod-status', a pod's status and its containers' names and images (pod-view.ts);
   * 'probe-event', an Event's pod, message and times (probe-event-view.ts).
   */
  cacheView?: 'owned-spec' | 'pod-status' | 'probe-event';
  /** Informers index objects by this label's value (Cache.withLabel). */
  indexLabel?: string;
}

function basePath(r: ResourceType): string {
  return r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
}

/** Collection path; all namespaces when namespace is undefined. */
export function collectionPath(r: ResourceType, namespace?: string): string {
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${basePath(r)}${ns}/${r.plural}`;
}

export function objectPath(r: ResourceType, namespace: string | undefined, name: string): string {
  return `${collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
}

const custom = (kind: string, plural: string): ResourceType => ({
  apiVersion: API_VERSION,
  kind,
  plural,
  namespaced: true,
});

export const SERVER = custom('Server', 'servers');
export const CONFIG = custom('Config', 'configs');
export const CERTIFICATE = custom('Certificate', 'certificates');
export const CERTIFICATE_AUTHORITY = custom('CertificateAuthority', 'certificateauthorities');
export const POOL = custom('Pool', 'pools');
export const NODE_CLASSIFIER = custom('NodeClassifier', 'nodeclassifiers');
export const REPORT_PROCESSOR = custom('ReportProcessor', 'reportprocessors');
export const DATABASE = custom('Database', 'databases');
export const SIGNING_POLICY = custom('SigningPolicy', 'signingpolicies');
export const AGENT_CERTIFICATE = custom('AgentCertificate', 'agentcertificates');
/**
 * Every object the operator makes carries this label; informers of kinds that also hold everyone else's
 * objects (Secrets, ConfigMaps, Deployments, ...) select on it, so the cache holds only ours.
 */
export const MANAGED_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGER}`;
export const CONFIG_MAP: ResourceType = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
/** Only the pods of Servers' Deployments: what their kubelet reports goes into the Server's status. */
export const SERVER_POD: ResourceType = {
  apiVersion: 'v1',
  kind: 'Pod',
  plural: 'pods',
  namespaced: true,
  labelSelector: `${MANAGED_SELECTOR},${LABEL_SERVER}`,
  indexLabel: LABEL_SERVER,
  cacheView: 'pod-status',
};
/** The operator's Services (a Pool's, a Database's). */
export const SERVICE: ResourceType = {
  apiVersion: 'v1',
  kind: 'Service',
  plural: 'services',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
export const SECRET: ResourceType = {
  apiVersion: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
export const EVENT: ResourceType = { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true };
/**
 * The kubelet's probe failures of the openvox-server container, for its Server's Ready condition. The API
 * server selects them, so the cache never holds the cluster's other Events.
 */
export const PROBE_EVENT: ResourceType = {
  ...EVENT,
  fieldSelector: 'involvedObject.kind=Pod,involvedObject.fieldPath=spec.containers{openvox-server},reason=Unhealthy',
  cacheView: 'probe-event',
};
export const DEPLOYMENT: ResourceType = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
  cacheView: 'owned-spec',
};
export const HPA: ResourceType = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
export const PDB: ResourceType = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
export const NETWORK_POLICY: ResourceType = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  namespaced: true,
  labelSelector: MANAGED_SELECTOR,
};
export const LEASE: ResourceType = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
};

/** Delegated authentication and authorization of the metrics endpoint (create only, never stored). */
export const TOKEN_REVIEW: ResourceType = {
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  namespaced: false,
};
export const SUBJECT_ACCESS_REVIEW: ResourceType = {
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  namespaced: false,
};

/** "namespace/name", the key of one object in queues and indexes. */
export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
