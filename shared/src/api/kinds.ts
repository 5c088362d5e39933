// One entry per kind: the names and columns the CRD needs, next to the schemas that define it.
import type { TSchema } from 'typebox';
import { ServerSpec, ServerStatus } from './server.js';
import { ConfigSpec, ConfigStatus } from './config.js';
import { CertificateSpec, CertificateStatus } from './certificate.js';
import { CertificateAuthoritySpec, CertificateAuthorityStatus } from './certificate-authority.js';
import { PoolSpec, PoolStatus } from './pool.js';
import { NodeClassifierSpec, NodeClassifierStatus } from './node-classifier.js';
import { ReportProcessorSpec, ReportProcessorStatus } from './report-processor.js';
import { DatabaseSpec, DatabaseStatus } from './database.js';
import { SigningPolicySpec, SigningPolicyStatus } from './signing-policy.js';
import { AgentCertificateSpec, AgentCertificateStatus } from './agent-certificate.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date' | 'number';
  jsonPath: string;
  description: string;
}

export interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  /** Short names avoid cert-manager's `cert`/`certs` and other common clashes (see README). */
  shortNames: string[];
  description: string;
  spec: TSchema;
  status: TSchema;
  printerColumns: PrinterColumn[];
}

const phase: PrinterColumn = {
  name: 'Phase',
  type: 'string',
  jsonPath: '.status.phase',
  description: 'Current lifecycle phase.',
};
const age: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since creation.',
};

export const server: KindDefinition = {
  kind: 'Server',
  plural: 'servers',
  singular: 'server',
  shortNames: [],
  description:
    'A Server runs OpenVox Server pods as a Deployment. It references a Certificate for TLS and a Config for shared configuration, can run as CA, catalog server or both, and joins Pools through poolRefs.',
  spec: ServerSpec,
  status: ServerStatus,
  printerColumns: [
    { name: 'Config', type: 'string', jsonPath: '.spec.configRef', description: 'The Config this Server uses.' },
    { name: 'CA', type: 'boolean', jsonPath: '.spec.ca', description: 'Whether this Server runs the CA role.' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', description: 'Requested replicas.' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.ready', description: 'Ready pods.' },
    phase,
    age,
  ],
};

export const config: KindDefinition = {
  kind: 'Config',
  plural: 'configs',
  singular: 'config',
  shortNames: ['cfg'],
  description:
    'A Config holds the configuration shared by Servers: image, code, puppet.conf and puppetserver settings, and the CA it trusts.',
  spec: ConfigSpec,
  status: ConfigStatus,
  printerColumns: [
    { name: 'CA', type: 'string', jsonPath: '.spec.authorityRef', description: 'The CertificateAuthority.' },
    { name: 'Image', type: 'string', jsonPath: '.spec.image.tag', description: 'Image tag.' },
    phase,
    age,
  ],
};

export const certificateAuthority: KindDefinition = {
  kind: 'CertificateAuthority',
  plural: 'certificateauthorities',
  singular: 'certificateauthority',
  shortNames: ['ovca'],
  description: 'A CertificateAuthority is the Puppet CA: its key pair, certificate, CRL and data volume.',
  spec: CertificateAuthoritySpec,
  status: CertificateAuthorityStatus,
  printerColumns: [
    phase,
    { name: 'CRL', type: 'integer', jsonPath: '.status.crlNumber', description: 'Number of the published CRL.' },
    {
      name: 'CRLSynced',
      type: 'string',
      jsonPath: '.status.conditions[?(@.type=="CRLSynced")].status',
      description: 'Whether the CRL refresh from the CA Server succeeds.',
    },
    { name: 'NotAfter', type: 'string', jsonPath: '.status.notAfter', description: 'CA certificate expiry.' },
    age,
  ],
};

export const certificate: KindDefinition = {
  kind: 'Certificate',
  plural: 'certificates',
  singular: 'certificate',
  shortNames: ['ovcert'],
  description:
    'A Certificate is a server certificate signed by a CertificateAuthority and stored in the Secret {name}-tls.',
  spec: CertificateSpec,
  status: CertificateStatus,
  printerColumns: [
    { name: 'Authority', type: 'string', jsonPath: '.spec.authorityRef', description: 'The signing CA.' },
    { name: 'Certname', type: 'string', jsonPath: '.spec.certname', description: 'Certificate common name.' },
    phase,
    { name: 'NotAfter', type: 'string', jsonPath: '.status.notAfter', description: 'Certificate expiry.' },
    age,
  ],
};

export const pool: KindDefinition = {
  kind: 'Pool',
  plural: 'pools',
  singular: 'pool',
  shortNames: [],
  description: 'A Pool is a Service that load-balances across the pods of the Servers that list it in poolRefs.',
  spec: PoolSpec,
  status: PoolStatus,
  printerColumns: [
    { name: 'Service', type: 'string', jsonPath: '.status.serviceName', description: 'The Service of the Pool.' },
    { name: 'Type', type: 'string', jsonPath: '.spec.service.type', description: 'Service type (empty: ClusterIP).' },
    { name: 'Endpoints', type: 'integer', jsonPath: '.status.endpoints', description: 'Ready endpoints.' },
    age,
  ],
};

// The Go operator's other kinds, with its short names (none clashes with cert-manager's).
const url: PrinterColumn = { name: 'URL', type: 'string', jsonPath: '.spec.url', description: 'Service URL.' };

export const nodeClassifier: KindDefinition = {
  kind: 'NodeClassifier',
  plural: 'nodeclassifiers',
  singular: 'nodeclassifier',
  shortNames: ['nc'],
  description:
    "A NodeClassifier is an external node classifier (ENC) service named by a Config's nodeClassifierRef: the Config's compiling Servers ask it for each node's classes, parameters and environment. A classifier that cannot be asked fails the node's catalog request with the reason.",
  spec: NodeClassifierSpec,
  status: NodeClassifierStatus,
  printerColumns: [
    url,
    { name: 'Method', type: 'string', jsonPath: '.spec.request.method', description: 'HTTP method.' },
    phase,
    age,
  ],
};

export const signingPolicy: KindDefinition = {
  kind: 'SigningPolicy',
  plural: 'signingpolicies',
  singular: 'signingpolicy',
  shortNames: ['sp'],
  description:
    'A SigningPolicy lets the CA Server of a CertificateAuthority sign matching certificate requests itself (autosign): by certname pattern, DNS alt names and CSR attributes such as pp_preshared_key. The policies of one CA are ORed; a CSR no policy matches waits for puppetserver ca sign.',
  spec: SigningPolicySpec,
  status: SigningPolicyStatus,
  printerColumns: [
    { name: 'CA', type: 'string', jsonPath: '.spec.certificateAuthorityRef', description: 'The CertificateAuthority.' },
    phase,
    age,
  ],
};

export const agentCertificate: KindDefinition = {
  kind: 'AgentCertificate',
  plural: 'agentcertificates',
  singular: 'agentcertificate',
  shortNames: ['agentcert'],
  description:
    "An AgentCertificate is one agent's certificate request or certificate on the CA Server of a CertificateAuthority, mirrored by the operator (one per certname and CA). Set spec.desiredState to sign, revoke or clean it; the result is in status, its conditions and Events.",
  spec: AgentCertificateSpec,
  status: AgentCertificateStatus,
  printerColumns: [
    { name: 'Certname', type: 'string', jsonPath: '.spec.certname', description: "The agent's certname." },
    { name: 'State', type: 'string', jsonPath: '.status.state', description: 'requested, signed or revoked.' },
    { name: 'Fingerprint', type: 'string', jsonPath: '.status.fingerprint', description: 'SHA-256 fingerprint.' },
    { name: 'NotAfter', type: 'string', jsonPath: '.status.notAfter', description: 'Certificate expiry.' },
    age,
  ],
};

export const reportProcessor: KindDefinition = {
  kind: 'ReportProcessor',
  plural: 'reportprocessors',
  singular: 'reportprocessor',
  shortNames: ['rp'],
  description:
    "A ReportProcessor forwards the agent reports of a Config's Servers to an HTTP endpoint (generic JSON or the PuppetDB wire format). An endpoint that fails is logged by the Server and never fails an agent run.",
  spec: ReportProcessorSpec,
  status: ReportProcessorStatus,
  printerColumns: [
    url,
    { name: 'Processor', type: 'string', jsonPath: '.spec.processor', description: 'Payload format.' },
    phase,
    age,
  ],
};

export const database: KindDefinition = {
  kind: 'Database',
  plural: 'databases',
  singular: 'database',
  shortNames: ['db'],
  description:
    "A Database runs OpenVox DB (PuppetDB) against an external PostgreSQL: a Deployment, Service, PodDisruptionBudget and NetworkPolicy named {name}-openvoxdb, serving the Certificate's TLS Secret, with the PostgreSQL credentials from a Secret. A Config that names it in databaseRef sends its Servers' facts, catalogs and reports there.",
  spec: DatabaseSpec,
  status: DatabaseStatus,
  printerColumns: [
    { name: 'CertificateRef', type: 'string', jsonPath: '.spec.certificateRef', description: 'The Certificate.' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', description: 'Requested replicas.' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.ready', description: 'Ready pods.' },
    phase,
    age,
  ],
};

/** The Go operator's kinds besides the five of the seed. */
export const GO_KINDS: readonly KindDefinition[] = [nodeClassifier, reportProcessor, database];
export const KINDS: readonly KindDefinition[] = [
  server,
  config,
  certificate,
  certificateAuthority,
  pool,
  ...GO_KINDS,
  signingPolicy,
  agentCertificate,
];
