// Where things live inside a Database pod: the OpenVox DB image contract (docs/image-contract-openvoxdb.md).
// The files, the mounts and the probes all derive from here.
export const DATABASE_LAYOUT = {
  /** The conf.d directory PuppetDB is started with: one projected volume (ConfigMap + Secret), no subPath. */
  confDir: '/etc/puppetlabs/puppetdb/conf.d',
  /** The `{cert}-tls` Secret as a directory: cert.pem, key.pem, ca_crt.pem, read in place by Jetty. */
  tlsDir: '/etc/puppetlabs/puppetdb/tls',
  /** Image-shipped console logging. */
  logbackXml: '/etc/puppetlabs/puppetdb/logback.xml',
  /** PuppetDB's vardir (the command queue): an emptyDir. */
  vardir: '/opt/puppetlabs/server/data/puppetdb',
  logDir: '/var/log/puppetlabs',
  tmpDir: '/tmp',
} as const;

/** Cleartext HTTP, bound to 127.0.0.1 only: for the exec probes inside the pod, never the network. */
export const LOCAL_HTTP_PORT = 8080;
export const CONTAINER = 'openvoxdb';

export const VOLUME = {
  conf: 'conf',
  tls: 'tls',
  vardir: 'vardir',
  logs: 'logs',
  tmp: 'tmp',
} as const;
