// Names one kind writes and another reads: the CA's and the Certificate's Secrets, the Config's
// ConfigMap and the keys inside them (as in the Go operator, so pods and tools agree). Kinds share
// these through this module only, never by importing each other.

/** The Config's rendered files. */
export const configMapName = (config: string): string => `${config}-config`;

/** The CertificateAuthority's objects. */
export const caPublicSecretName = (ca: string): string => `${ca}-ca`;
export const caKeySecretName = (ca: string): string => `${ca}-ca-key`;
export const crlSecretName = (ca: string): string => `${ca}-ca-crl`;
export const caDataClaimName = (ca: string): string => `${ca}-data`;
export const autosignSecretName = (ca: string): string => `${ca}-autosign-policy`;

/** The Certificate's Secret. */
export const tlsSecretName = (cert: string): string => `${cert}-tls`;

/** Data keys of the CA Secrets (`{ca}-ca`, `{ca}-ca-key`, `{ca}-ca-crl`, `{ca}-autosign-policy`). */
export const CA_CERT_KEY = 'ca_crt.pem';
export const CA_KEY_KEY = 'ca_key.pem';
export const CA_CRL_KEY = 'ca_crl.pem';
export const CA_PUB_KEY = 'ca_pub.pem';
/** `{ca}-autosign-policy`: the SigningPolicies of the CA and the executable puppetserver runs for each CSR. */
export const AUTOSIGN_POLICY_KEY = 'autosign-policy.json';
export const AUTOSIGN_EXECUTABLE_KEY = 'openvox-autosign';

/**
 * The server name `puppetserver ca` connects to by default. A CA pod maps it to itself (hostAliases), and
 * the certificate a CA Server mounts carries it as a SAN, so the CLI works inside the CA pod.
 */
export const CA_CLI_SERVER = 'puppet';

/** Data keys of `{cert}-tls`; its CA certificate uses CA_CERT_KEY. */
export const TLS_CERT_KEY = 'cert.pem';
export const TLS_KEY_KEY = 'key.pem';

/**
 * `{config}-enc`: the external node classifier of a Config's Servers (Config.spec.nodeClassifierRef),
 * the script puppetserver runs for each node (`external_nodes`) and its settings. Server pods mount it.
 */
export const encSecretName = (config: string): string => `${config}-enc`;
export const ENC_EXECUTABLE_KEY = 'openvox-enc';
export const ENC_SETTINGS_KEY = 'enc.json';
/**
 * `{config}-report-processors`: the ReportProcessors of a Config, as the Ruby report processor
 * `openvox_http` (puppet.conf `reports`) and its endpoints. Server pods mount it where puppetserver
 * loads report processors from.
 */
export const reportProcessorsSecretName = (config: string): string => `${config}-report-processors`;
export const REPORT_PROCESSOR_NAME = 'openvox_http';
export const REPORT_PROCESSOR_KEY = `${REPORT_PROCESSOR_NAME}.rb`;
export const REPORT_SETTINGS_KEY = `${REPORT_PROCESSOR_NAME}.json`;
/** Annotation of `{config}-enc`: the NodeClassifier's cache directory, an emptyDir in the Server pods. */
export const ENC_CACHE_DIR_ANNOTATION = 'openvox.voxpupuli.org/enc-cache-directory';

/**
 * The Database's Deployment, Service and PodDisruptionBudget: `{database}-openvoxdb`. The suffix keeps them
 * apart from a Server's (`{server}`), a Pool's Service (`{pool}`) and a Config's ConfigMap (`{config}-config`)
 * of the same name, which the Go operator's `{database}` and `{database}-config` collided with.
 */
export const databaseObjectName = (database: string): string => `${database}-openvoxdb`;
/** The HTTPS port OpenVox DB serves (jetty ssl-port) and the Service's default port. */
export const DATABASE_HTTPS_PORT = 8081;
/**
 * The URL a Config's Servers reach a Database at (puppetdb.conf server_urls, Database.status.url): the
 * Service's `{name}.{namespace}.svc`, which resolves whatever the cluster domain is (the Go operator
 * hard-coded `.svc.cluster.local`). The Database's Certificate must name this host (dnsAltNames).
 */
export function databaseUrl(namespace: string, database: string, port: number = DATABASE_HTTPS_PORT): string {
  return `https://${databaseHost(namespace, database)}:${port}`;
}
export const databaseHost = (namespace: string, database: string): string =>
  `${databaseObjectName(database)}.${namespace}.svc`;
