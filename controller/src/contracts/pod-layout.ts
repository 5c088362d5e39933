// Where things live inside an OpenVox Server pod: the paths in the server container, the volumes
// and their mounts, the ConfigMap files and the helper containers' paths. The Server renderer, the
// helper scripts, the paths written into the config files and the tests all derive from this one
// module, so they cannot drift apart (the Go operator's pod anatomy). The local stand-in image lays
// Debian's puppetserver out at these paths (docs/image-contract.md).

import { posix } from 'node:path';
import {
  AUTOSIGN_EXECUTABLE_KEY,
  AUTOSIGN_POLICY_KEY,
  CA_CERT_KEY,
  ENC_EXECUTABLE_KEY,
  ENC_SETTINGS_KEY,
  CA_CRL_KEY,
  TLS_CERT_KEY,
  TLS_KEY_KEY,
} from './names.js';

export interface ServerLayout {
  /** puppet confdir: puppet.conf, puppetdb.conf live here. */
  confdir: string;
  /** The writable ssldir (emptyDir `ssl`, filled by tls-init). */
  ssldir: string;
  /** The server certificate, key and CA certificate that tls-init copies into the ssldir. */
  hostcert: string;
  hostprivkey: string;
  localcacert: string;
  /**
   * The CRL Jetty checks client certificates against. A regular file inside the ssldir, never the
   * Secret mount itself: puppetserver 7 does not notice the kubelet's symlink swap of a Secret
   * volume (docs/puppetserver.md). On non-CA pods the `crl-sync` container copies
   * `{ca}-ca-crl` here when it changes; on CA pods the CA service writes it.
   */
  hostcrl: string;
  /** Directory mount of the `{ca}-ca-crl` Secret on non-CA pods (source for crl-sync). */
  crlMountDir: string;
  vardir: string;
  logdir: string;
  codedir: string;
  /** Puppet's environmentpath and the default mount point of spec.code. */
  environmentPath: string;
  rundir: string;
  /** puppetserver's conf.d, services.d and logback.xml. */
  serverConfDir: string;
  serverServicesDir: string;
  logbackXml: string;
  /** The CA's cadir (PVC `{ca}-data` on CA pods). */
  cadir: string;
  /**
   * Directory mount (no subPath, so the kubelet keeps it current) of `{ca}-autosign-policy` on CA pods:
   * the autosign executable and the policy file it reads on every CSR.
   */
  autosignDir: string;
  /**
   * Directory mount of `{config}-enc` on compiling pods of a Config with a nodeClassifierRef: the
   * script puppet.conf's `external_nodes` names and the settings it reads on every call.
   */
  encDir: string;
  /**
   * Directory mount of `{config}-report-processors`: puppetserver's libdir (`$vardir/lib`, vardir being
   * server-var-dir) + `puppet/reports`, where Puppet's autoloader finds report processors.
   */
  reportsDir: string;
  /**
   * Where puppetserver keeps the facts agents send, read for an ENC's `body: facts`: its facts terminus
   * is json, in server_datadir (`$vardir/server_data`) + `facts/<certname>.json`.
   */
  factsDir: string;
  /** Roots of the writable emptyDirs that have no setting of their own. */
  tmpdir: string;
  logRoot: string;
  /** jruby-puppet settings of puppetserver.conf. */
  rubyLoadPath: string[];
  gemHome: string;
  gemPath: string[];
  serverVarDir: string;
  serverRunDir: string;
  serverLogDir: string;
  /** The interface Jetty listens on. */
  sslHost: string;
  sslPort: number;
}

/** The OpenVox Server container image (AIO layout) as the operator's pods mount it. */
export const OPENVOX_IMAGE_LAYOUT: ServerLayout = {
  confdir: '/etc/puppetlabs/puppet',
  ssldir: '/etc/puppetlabs/puppet/ssl',
  hostcert: '/etc/puppetlabs/puppet/ssl/certs/puppet.pem',
  hostprivkey: '/etc/puppetlabs/puppet/ssl/private_keys/puppet.pem',
  localcacert: '/etc/puppetlabs/puppet/ssl/certs/ca.pem',
  hostcrl: '/etc/puppetlabs/puppet/ssl/crl.pem',
  crlMountDir: '/etc/puppetlabs/puppet/crl',
  vardir: '/opt/puppetlabs/puppet/cache',
  logdir: '/var/log/puppetlabs/puppet',
  codedir: '/etc/puppetlabs/code',
  environmentPath: '/etc/puppetlabs/code/environments',
  rundir: '/var/run/puppetlabs',
  serverConfDir: '/etc/puppetlabs/puppetserver/conf.d',
  serverServicesDir: '/etc/puppetlabs/puppetserver/services.d',
  logbackXml: '/etc/puppetlabs/puppetserver/logback.xml',
  cadir: '/etc/puppetlabs/puppetserver/ca',
  autosignDir: '/etc/puppetlabs/puppet/autosign',
  encDir: '/etc/puppetlabs/puppet/enc',
  reportsDir: '/run/puppetserver/lib/puppet/reports',
  factsDir: '/run/puppetserver/server_data/facts',
  tmpdir: '/tmp',
  logRoot: '/var/log/puppetlabs',
  rubyLoadPath: ['/opt/puppetlabs/puppet/lib/ruby/vendor_ruby'],
  gemHome: '/opt/puppetlabs/server/data/puppetserver/jruby-gems',
  gemPath: [
    '/opt/puppetlabs/server/data/puppetserver/jruby-gems',
    '/opt/puppetlabs/server/data/puppetserver/vendored-jruby-gems',
    '/opt/puppetlabs/puppet/lib/ruby/vendor_gems',
  ],
  serverVarDir: '/run/puppetserver',
  serverRunDir: '/run/puppetserver/run',
  serverLogDir: '/var/log/puppetlabs/puppetserver',
  sslHost: '0.0.0.0',
  sslPort: 8140,
};

/** Volume names of a Server pod (as in the Go operator). */
export const VOLUME = {
  ssl: 'ssl',
  sslCert: 'ssl-cert',
  sslCa: 'ssl-ca',
  crl: 'ssl-ca-crl',
  caData: 'ca-data',
  caKey: 'ca-key',
  autosignPolicy: 'autosign-policy',
  enc: 'enc',
  encCache: 'enc-cache',
  reportProcessors: 'report-processors',
  code: 'code',
} as const;

/** Writable directories as emptyDirs, so readOnlyRootFilesystem works. */
export function writableDirs(l: ServerLayout): { volume: string; mountPath: string }[] {
  return [
    { volume: 'puppetserver-data', mountPath: l.serverVarDir },
    { volume: 'puppet-cache', mountPath: l.vardir },
    { volume: 'puppet-run', mountPath: l.rundir },
    { volume: 'tmp', mountPath: l.tmpdir },
    { volume: 'var-log', mountPath: l.logRoot },
  ];
}

/** Keys of the `{config}-config` ConfigMap. */
export type ConfigFileKey =
  | 'puppet.conf'
  | 'puppetdb.conf'
  | 'puppetserver.conf'
  | 'webserver.conf'
  | 'webserver-ca.conf'
  | 'auth.conf'
  | 'ca.conf'
  | 'product.conf'
  | 'metrics.conf'
  | 'logback.xml'
  | 'ca-enabled.cfg'
  | 'ca-disabled.cfg';

/** One ConfigMap file as its own volume, mounted with subPath `file` at `mountPath`. */
export interface ConfigFileMount {
  volume: string;
  key: ConfigFileKey;
  file: string;
  mountPath: string;
}

interface ConfigFileEntry {
  volume: string;
  /** The ConfigMap key a CA pod and any other pod mount. */
  keys: { ca: ConfigFileKey; other: ConfigFileKey };
  path: (l: ServerLayout) => string;
}

const same = (key: ConfigFileKey) => ({ ca: key, other: key });

// In pod order; CA pods get webserver-ca.conf and ca-enabled.cfg.
const CONFIG_FILE_ENTRIES: ConfigFileEntry[] = [
  { volume: 'puppet-conf', keys: same('puppet.conf'), path: (l) => `${l.confdir}/puppet.conf` },
  { volume: 'puppetdb-conf', keys: same('puppetdb.conf'), path: (l) => `${l.confdir}/puppetdb.conf` },
  {
    volume: 'puppetserver-conf',
    keys: same('puppetserver.conf'),
    path: (l) => `${l.serverConfDir}/puppetserver.conf`,
  },
  {
    volume: 'webserver-conf',
    keys: { ca: 'webserver-ca.conf', other: 'webserver.conf' },
    path: (l) => `${l.serverConfDir}/webserver.conf`,
  },
  { volume: 'product-conf', keys: same('product.conf'), path: (l) => `${l.serverConfDir}/product.conf` },
  { volume: 'auth-conf', keys: same('auth.conf'), path: (l) => `${l.serverConfDir}/auth.conf` },
  { volume: 'ca-conf', keys: same('ca.conf'), path: (l) => `${l.serverConfDir}/ca.conf` },
  {
    volume: 'ca-cfg',
    keys: { ca: 'ca-enabled.cfg', other: 'ca-disabled.cfg' },
    path: (l) => `${l.serverServicesDir}/ca.cfg`,
  },
  { volume: 'logback-xml', keys: same('logback.xml'), path: (l) => l.logbackXml },
  { volume: 'metrics-conf', keys: same('metrics.conf'), path: (l) => `${l.serverConfDir}/metrics.conf` },
];

/** The ConfigMap files a pod of this role mounts, in pod order. */
export function configFileMounts(ca: boolean, l: ServerLayout = OPENVOX_IMAGE_LAYOUT): ConfigFileMount[] {
  return CONFIG_FILE_ENTRIES.map((e) => {
    const mountPath = e.path(l);
    return { volume: e.volume, key: ca ? e.keys.ca : e.keys.other, file: posix.basename(mountPath), mountPath };
  });
}

/** Each ConfigMap key and the file it becomes in the pod. */
export const CONFIG_FILES = Object.fromEntries(
  CONFIG_FILE_ENTRIES.flatMap((e) => [...new Set([e.keys.ca, e.keys.other])].map((key) => [key, e.path])),
) as Record<ConfigFileKey, (l: ServerLayout) => string>;

/** The ConfigMap keys a pod mounts, by role: CA pods get webserver-ca.conf and ca-enabled.cfg. */
export function configKeysForRole(ca: boolean): ConfigFileKey[] {
  return configFileMounts(ca).map((m) => m.key);
}

/**
 * Where the helper containers (tls-init, ca-init, crl-sync) mount the pod's volumes. They see the
 * ssl emptyDir at `ssl`, so a file of the ssldir is `ssl` + its path relative to the ssldir.
 */
export const HELPER_MOUNT = {
  ssl: '/ssl',
  sslCert: '/ssl-cert',
  sslCa: '/ssl-ca',
  caData: '/ca',
  caKey: '/ca-key',
  caCrl: '/ca-crl',
  crl: '/crl',
} as const;

/** Directories tls-init creates in the ssldir, as Puppet's own ssldir has them. */
export const SSLDIR_SUBDIRS = ['certs', 'private_keys', 'public_keys', 'certificate_requests', 'private'];

/** A file of the ssldir as a helper container sees it. */
export function inHelperSsl(l: ServerLayout, path: string): string {
  return posix.join(HELPER_MOUNT.ssl, posix.relative(l.ssldir, path));
}

/** What tls-init copies: Secret file (as a helper sees it) -> ssldir file (as a helper sees it). */
export function tlsInitCopies(l: ServerLayout): { from: string; to: string }[] {
  return [
    { from: `${HELPER_MOUNT.sslCert}/${TLS_CERT_KEY}`, to: inHelperSsl(l, l.hostcert) },
    { from: `${HELPER_MOUNT.sslCert}/${TLS_KEY_KEY}`, to: inHelperSsl(l, l.hostprivkey) },
    { from: `${HELPER_MOUNT.sslCa}/${CA_CERT_KEY}`, to: inHelperSsl(l, l.localcacert) },
  ];
}

/** crl-sync's source (the `{ca}-ca-crl` directory mount) and target (the hostcrl file). */
export function crlSyncPaths(l: ServerLayout): { source: string; target: string } {
  return { source: `${HELPER_MOUNT.crl}/${CA_CRL_KEY}`, target: inHelperSsl(l, l.hostcrl) };
}

/** The files of the autosign directory: puppet.conf's `autosign` names the executable. */
export function autosignFiles(l: ServerLayout): { executable: string; policy: string } {
  return {
    executable: posix.join(l.autosignDir, AUTOSIGN_EXECUTABLE_KEY),
    policy: posix.join(l.autosignDir, AUTOSIGN_POLICY_KEY),
  };
}

/** The files of the ENC directory: puppet.conf's `external_nodes` names the executable. */
export function encFiles(l: ServerLayout): { executable: string; settings: string } {
  return { executable: posix.join(l.encDir, ENC_EXECUTABLE_KEY), settings: posix.join(l.encDir, ENC_SETTINGS_KEY) };
}
