// The AgentCertificate kind: one agent's certificate request or certificate on the CA Server of a
// CertificateAuthority, mirrored by the controller (controller/src/agent-certificate/). A user signs,
// revokes or cleans it by setting spec.desiredState; the CA Server stays the source of truth.
import { Type, conditions, observedGeneration, str, stringEnum, stringList, stringMap, type Static } from './schema.js';
import type { KubeObject } from './meta.js';

/** What the CA Server says about a certname (puppetserver's certificate_status `state`). */
export const AGENT_CERTIFICATE_STATES = ['requested', 'signed', 'revoked'] as const;
export type AgentCertificateState = (typeof AGENT_CERTIFICATE_STATES)[number];

/** What a user may ask for; absent: observe only. */
export const AGENT_CERTIFICATE_DESIRED_STATES = ['signed', 'revoked', 'cleaned'] as const;
export type AgentCertificateDesiredState = (typeof AGENT_CERTIFICATE_DESIRED_STATES)[number];

export const AgentCertificateSpec = Type.Object(
  {
    certificateAuthorityRef: str(
      'Name of the CertificateAuthority (same namespace) whose CA Server holds this certname. Required; cannot be changed.',
    ),
    certname: str("The agent's Puppet certname. Required; cannot be changed."),
    desiredState: Type.Optional(
      stringEnum(
        AGENT_CERTIFICATE_DESIRED_STATES,
        'What the operator makes of this certname on the CA Server: signed signs the pending request (puppetserver ca sign; set before the request arrives, it is signed when it does), revoked revokes the signed certificate (puppetserver ca revoke), cleaned revokes and deletes request and certificate (puppetserver ca clean) and then deletes this object, so the agent can ask again. Unset: observe only.',
      ),
    ),
  },
  { description: 'Which certname of which CA, and what should become of it.' },
);

export const AgentCertificateStatus = Type.Object(
  {
    state: Type.Optional(
      stringEnum(
        AGENT_CERTIFICATE_STATES,
        'State on the CA Server as of its last successful listing. Unset while the CA Server has neither a request nor a certificate for the certname.',
      ),
    ),
    fingerprint: Type.Optional(str('SHA-256 fingerprint of the certificate, or of the request while requested.')),
    serial: Type.Optional(str('Serial number of the signed certificate, in hexadecimal (as CRLs list it).')),
    notBefore: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the validity period.' })),
    notAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Expiry of the signed certificate.' })),
    dnsAltNames: Type.Optional(stringList('Subject alternative names of the request or certificate, e.g. DNS:web1.')),
    authorizationExtensions: Type.Optional(
      stringMap('Authorization extensions (pp_cli_auth, pp_authorization, pp_auth_role) by name, with their values.'),
    ),
    signedBy: Type.Optional(
      str(
        'Who signed it, when the operator can tell: "spec.desiredState" when the operator signed it for this object; "policy <name>" when it matches a SigningPolicy of the CA (the first by name, as the autosign script tries them; a policy needing a challengePassword cannot be told, the certificate does not carry it); "CA Server" when it was seen pending and then signed outside the operator (puppetserver ca sign). Unset when none of these is known.',
      ),
    ),
    conditions: Type.Optional(
      conditions(
        'Condition Ready: spec.desiredState is reached (True also when it is unset), or why not (reasons WaitingForRequest, NotOnCAServer, UnknownCertname, RevokedCannotBeSigned, NotSigned, CAServerNotReady, CAUnreachable, CertificateAuthorityFailed, Duplicate, CertificateAuthorityNotFound, ExternalCertificateAuthority).',
      ),
    ),
    observedGeneration: Type.Optional(observedGeneration),
  },
  { description: 'Observed state of the certname on the CA Server, written by the controller.' },
);

export type AgentCertificateSpec = Static<typeof AgentCertificateSpec>;
export type AgentCertificateStatus = Static<typeof AgentCertificateStatus>;
export type AgentCertificate = KubeObject<AgentCertificateSpec, AgentCertificateStatus>;
