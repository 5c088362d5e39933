// Webhook registrations that reach a webhook on loopback by URL (no Service in a local cluster).
import type {
  V1LabelSelector,
  V1MutatingWebhookConfiguration,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import {
  GROUP,
  MUTATE_PATH,
  VALIDATE_PATH,
  VERSION,
  certificate,
  certificateAuthority,
  config,
  pool,
  signingPolicy,
  validatePath,
} from '@openvox/shared';

export const WEBHOOK_CONFIGURATION_NAME = 'openvox-operator-local';
const OTHER_KINDS = [config, certificate, certificateAuthority, pool, signingPolicy].map(
  (k) => [k.singular, k.plural] as const,
);

const rulesFor = (resource: string) => [
  {
    apiGroups: [GROUP],
    apiVersions: [VERSION],
    operations: ['CREATE', 'UPDATE'],
    resources: [resource],
    scope: 'Namespaced',
  },
];
/**
 * A namespace with this label is never sent to the test runner's webhook: a test sees there what a
 * cluster whose webhook is bypassed (failurePolicy Ignore, an excluded namespace) stores, without
 * unregistering the webhook for every other test. The chart has no such label (it excludes by name).
 */
export const WEBHOOK_BYPASS_LABEL = 'e2e.openvox.voxpupuli.org/webhook-bypass';

// Keep the API server's own namespaces out, as the chart does.
const defaultNamespaceSelector: V1LabelSelector = {
  matchExpressions: [
    { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
    { key: WEBHOOK_BYPASS_LABEL, operator: 'DoesNotExist' },
  ],
};

export interface RegistrationOptions {
  name?: string;
  namespaceSelector?: V1LabelSelector;
}

function common(baseUrl: string, path: string, caBundle: string, options: RegistrationOptions, resource = 'servers') {
  return {
    admissionReviewVersions: ['v1'],
    clientConfig: { url: `${baseUrl}${path}`, caBundle: Buffer.from(caBundle).toString('base64') },
    failurePolicy: 'Fail',
    sideEffects: 'None',
    timeoutSeconds: 5,
    matchPolicy: 'Equivalent',
    namespaceSelector: options.namespaceSelector ?? defaultNamespaceSelector,
    rules: rulesFor(resource),
  };
}

export function mutatingConfiguration(
  baseUrl: string,
  caBundle: string,
  options: RegistrationOptions = {},
): V1MutatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: options.name ?? WEBHOOK_CONFIGURATION_NAME },
    webhooks: [
      {
        name: 'mserver.openvox.voxpupuli.org',
        reinvocationPolicy: 'Never',
        ...common(baseUrl, MUTATE_PATH, caBundle, options),
      },
    ],
  };
}

export function validatingConfiguration(
  baseUrl: string,
  caBundle: string,
  options: RegistrationOptions = {},
): V1ValidatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: options.name ?? WEBHOOK_CONFIGURATION_NAME },
    webhooks: [
      { name: 'vserver.openvox.voxpupuli.org', ...common(baseUrl, VALIDATE_PATH, caBundle, options) },
      // The kinds a Server references: validation only, the same contract.
      ...OTHER_KINDS.map(([singular, plural]) => ({
        name: `v${singular}.openvox.voxpupuli.org`,
        ...common(baseUrl, validatePath(singular), caBundle, options, plural),
      })),
    ],
  };
}
