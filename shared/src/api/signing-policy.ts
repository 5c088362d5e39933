// The SigningPolicy kind: declarative autosigning for a CertificateAuthority's CA Server (the Go
// operator's SigningPolicy, field for field). Policies of one CA are ORed, the fields of one policy
// ANDed. What reaches the CA pod, and how a CSR is judged, is controller/src/signing-policy/.
import { Type, bool, str, stringEnum, conditions, observedGeneration, type Static } from './schema.js';
import type { KubeObject } from './meta.js';

const PatternSpec = (description: string, allow: string) =>
  Type.Object({ allow: Type.Array(Type.String(), { description: allow }) }, { description });

const AttributeSecretKeyRef = Type.Object(
  {
    name: str('Name of the Secret, in the namespace of the SigningPolicy.'),
    key: str('Key within the Secret whose value is the expected attribute value.'),
  },
  { description: 'A key of a Secret.' },
);

export const CsrAttributeMatch = Type.Object(
  {
    name: str(
      'Name of the CSR attribute or extension request, for example pp_preshared_key, pp_environment or challengePassword (Puppet short names), or a dotted OID.',
    ),
    value: Type.Optional(str('Expected value, inline. Exactly one of value and valueFrom.')),
    valueFrom: Type.Optional(
      Type.Object(
        { secretKeyRef: AttributeSecretKeyRef },
        { description: 'Expected value from a Secret key. Exactly one of value and valueFrom.' },
      ),
    ),
  },
  { description: 'One CSR attribute that must be present with exactly this value.' },
);

export const SigningPolicySpec = Type.Object(
  {
    certificateAuthorityRef: str(
      'Name of the CertificateAuthority (same namespace) whose CA Server this policy signs for.',
    ),
    any: Type.Optional(
      bool(
        'Sign every CSR, whatever its certname and DNS alt names. Even then a CSR asking for an authorization extension (pp_cli_auth, pp_authorization, pp_auth_role), another extension outside the Puppet arcs or a non-DNS alt name is not signed unless csrAttributes or dnsAltNames allow it explicitly.',
        { default: false },
      ),
    ),
    pattern: Type.Optional(
      PatternSpec(
        'Certname rules.',
        'Glob patterns (* any run of characters, ? one character, [abc] a class); the certname must match at least one.',
      ),
    ),
    dnsAltNames: Type.Optional(
      PatternSpec(
        'Allowed subject alternative names. Unset (and any false): a CSR with alt names is not signed by this policy.',
        'Glob patterns; every DNS alt name of the CSR (but the certname itself, which Puppet adds) must match at least one. An IP alt name is allowed only by a pattern written IP:<glob>, for example IP:10.0.0.*; other alt name types never.',
      ),
    ),
    csrAttributes: Type.Optional(
      Type.Array(CsrAttributeMatch, {
        description:
          'CSR attributes that must all be present with these values (AND). Listing an authorization extension such as pp_cli_auth here is what allows a CSR to carry it.',
      }),
    ),
  },
  {
    description:
      'Desired state of the SigningPolicy. Between the policies of one CA: OR (any match signs). Within a policy: AND (every set field must match).',
  },
);

export const SIGNING_POLICY_PHASES = ['Active', 'Error'] as const;

export const SigningPolicyStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(SIGNING_POLICY_PHASES, 'Current lifecycle phase.')),
    conditions: Type.Optional(conditions('Condition Ready: the policy is in the CA pod policy file, or why not.')),
    observedGeneration: Type.Optional(observedGeneration),
  },
  { description: 'Observed state of the SigningPolicy, written by the controller.' },
);

export type SigningPolicySpec = Static<typeof SigningPolicySpec>;
export type SigningPolicyStatus = Static<typeof SigningPolicyStatus>;
export type CsrAttributeMatch = Static<typeof CsrAttributeMatch>;
export type SigningPolicy = KubeObject<SigningPolicySpec, SigningPolicyStatus>;
