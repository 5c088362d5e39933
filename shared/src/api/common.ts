// Field groups shared by several kinds.
import { Type, bool, str, stringEnum, coreList, type Static } from './schema.js';
import type { V1LocalObjectReference, V1NetworkPolicyIngressRule } from '@kubernetes/client-node';

export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;

export const ImageSpec = Type.Object(
  {
    repository: Type.Optional(str('Container image repository, for example ghcr.io/openvoxproject/openvox-server.')),
    tag: Type.Optional(str('Container image tag.')),
    pullPolicy: Type.Optional(stringEnum(PULL_POLICIES, 'Image pull policy.', { default: 'IfNotPresent' })),
    pullSecrets: Type.Optional(
      coreList<V1LocalObjectReference>('LocalObjectReference', 'Secrets used to pull the image, added to the pods.'),
    ),
  },
  { description: 'Container image to run.' },
);
export type ImageSpec = Static<typeof ImageSpec>;

export const CodeSpec = Type.Object(
  {
    image: Type.Optional(
      str('OCI image that holds the Puppet code, mounted as an image volume. Exactly one of image and claimName.'),
    ),
    imagePullPolicy: Type.Optional(
      stringEnum(PULL_POLICIES, 'Pull policy of the code image; set only when image is set.'),
    ),
    imagePullSecret: Type.Optional(str('Name of a Secret used to pull the code image.')),
    claimName: Type.Optional(
      str('PersistentVolumeClaim that holds the Puppet code, mounted read-only. Exactly one of image and claimName.'),
    ),
  },
  { description: 'Where the Puppet code (environments) comes from.' },
);
export type CodeSpec = Static<typeof CodeSpec>;

/** A NetworkPolicy ingress rule as stored (JSON `from`; client-node's model names it `_from`). */
export type IngressRule = Omit<V1NetworkPolicyIngressRule, '_from'> & { from?: V1NetworkPolicyIngressRule['_from'] };

export const NetworkPolicySpec = Type.Object(
  {
    enabled: bool('Create a NetworkPolicy {name}-netpol for the pods. Required when networkPolicy is set.', {
      default: false,
    }),
    additionalIngress: Type.Optional(
      coreList<IngressRule>(
        'NetworkPolicyIngressRule',
        'Extra ingress rules, appended after the default rule that allows TCP to the pod port from anywhere.',
      ),
    ),
  },
  { description: 'NetworkPolicy settings: Ingress only; the default rule admits the service port from anywhere.' },
);
export type NetworkPolicySpec = Static<typeof NetworkPolicySpec>;
