// Webhook registrations that reach a webhook on loopback by URL (no Service in a local cluster).
import type {
  V1LabelSelector,
  V1MutatingWebhookConfiguration,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import {
  DEFAULTED_KINDS,
  GROUP,
  MUTATE_PATH,
  VALIDATE_PATH,
  VERSION,
  KINDS,
  mutatePath,
  server,
  validatePath,
} from '@openvox/shared';

export const WEBHOOK_CONFIGURATION_NAME = 'openvox-operator-local';
const OTHER_KINDS = KINDS.filter((k) => k !== server).map((k) => [k.singular, k.plural] as const);
/**
 * Kinds with a mutating endpoint: those whose CRD has CEL rules (judged before the CEL stage) and those
 * with defaults the schema cannot give (a Certificate's certname).
 */
const MUTATED_KINDS = KINDS.filter(
  (k) =>
    k !== server &&
    (DEFAULTED_KINDS.includes(k.singular) || JSON.stringify(k.spec).includes('x-kubernetes-validations')),
).map((k) => [k.singular, k.plural] as const);

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
      ...MUTATED_KINDS.map(([singular, plural]) => ({
        name: `m${singular}.openvox.voxpupuli.org`,
        reinvocationPolicy: 'Never',
        ...common(baseUrl, mutatePath(singular), caBundle, options, plural),
      })),
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
