// A ServiceAccount allowed to scrape the controller's /metrics, as the chart's metrics-reader
// ClusterRole allows a Prometheus: the test run reads metrics with its TokenRequest token, which the
// controller checks through TokenReview and SubjectAccessReview. (The admin kubeconfig may use a
// client certificate, which no TokenReview can authenticate.)
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';

export const SCRAPER = { namespace: 'default', name: 'openvox-metrics-scraper' } as const;
/** Same rule as the chart's `<fullname>-metrics-reader`, under a name no release takes. */
export const METRICS_READER_ROLE = 'openvox-test-metrics-reader';
const FIELD_MANAGER = 'openvox-operator-installer';

export function metricsReaderRole(name: string) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
  };
}

/** Applies the ServiceAccount, the ClusterRole and its binding, and returns a token of the account. */
export async function grantMetricsScraper(kc: KubeConfig, expirationSeconds = 24 * 3600): Promise<string> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const objects = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...SCRAPER } },
    metricsReaderRole(METRICS_READER_ROLE),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: METRICS_READER_ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: METRICS_READER_ROLE },
      subjects: [{ kind: 'ServiceAccount', ...SCRAPER }],
    },
  ];
  for (const obj of objects) {
    await api.patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
  return serviceAccountToken(kc, SCRAPER.namespace, SCRAPER.name, expirationSeconds);
}

/** A TokenRequest token of a ServiceAccount. */
export async function serviceAccountToken(
  kc: KubeConfig,
  namespace: string,
  name: string,
  expirationSeconds = 3600,
): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const request = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  return token;
}
