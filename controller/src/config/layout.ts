// Where things live inside an OpenVox Server container. The pod's volume mounts (seed Pod Anatomy,
// reference §2.3) and the paths written into the config files come from this one object, so they
// cannot drift apart. The Debian-packaged puppetserver used by the local proof has its own layout
// (test/puppet); every field that differs there is a documented deviation.

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
   * volume (reference puppetserver-local.md §7). On non-CA pods the `crl-sync` container copies
   * `{ca}-ca-crl` here when it changes; on CA pods the CA service writes it.
   */
  hostcrl: string;
  /** Directory mount of the `{ca}-ca-crl` Secret on non-CA pods (source for crl-sync). */
  crlMountDir: string;
  vardir: string;
  logdir: string;
  codedir: string;
  rundir: string;
  /** puppetserver's conf.d, services.d and logback.xml. */
  serverConfDir: string;
  serverServicesDir: string;
  logbackXml: string;
  /** The CA's cadir (PVC `{ca}-data` on CA pods). */
  cadir: string;
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
  rundir: '/var/run/puppetlabs',
  serverConfDir: '/etc/puppetlabs/puppetserver/conf.d',
  serverServicesDir: '/etc/puppetlabs/puppetserver/services.d',
  logbackXml: '/etc/puppetlabs/puppetserver/logback.xml',
  cadir: '/etc/puppetlabs/puppetserver/ca',
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

/** Keys of the `{config}-config` ConfigMap and the file each becomes in the pod. */
export const CONFIG_FILES = {
  'puppet.conf': (l: ServerLayout) => `${l.confdir}/puppet.conf`,
  'puppetdb.conf': (l: ServerLayout) => `${l.confdir}/puppetdb.conf`,
  'puppetserver.conf': (l: ServerLayout) => `${l.serverConfDir}/puppetserver.conf`,
  'webserver.conf': (l: ServerLayout) => `${l.serverConfDir}/webserver.conf`,
  'webserver-ca.conf': (l: ServerLayout) => `${l.serverConfDir}/webserver.conf`,
  'auth.conf': (l: ServerLayout) => `${l.serverConfDir}/auth.conf`,
  'ca.conf': (l: ServerLayout) => `${l.serverConfDir}/ca.conf`,
  'product.conf': (l: ServerLayout) => `${l.serverConfDir}/product.conf`,
  'metrics.conf': (l: ServerLayout) => `${l.serverConfDir}/metrics.conf`,
  'logback.xml': (l: ServerLayout) => l.logbackXml,
  'ca-enabled.cfg': (l: ServerLayout) => `${l.serverServicesDir}/ca.cfg`,
  'ca-disabled.cfg': (l: ServerLayout) => `${l.serverServicesDir}/ca.cfg`,
} as const;

export type ConfigFileKey = keyof typeof CONFIG_FILES;

/** The ConfigMap keys a pod mounts, by role: CA pods get webserver-ca.conf and ca-enabled.cfg. */
export function configKeysForRole(ca: boolean): ConfigFileKey[] {
  const common: ConfigFileKey[] = [
    'puppet.conf',
    'puppetdb.conf',
    'puppetserver.conf',
    'auth.conf',
    'ca.conf',
    'product.conf',
    'metrics.conf',
    'logback.xml',
  ];
  return ca ? [...common, 'webserver-ca.conf', 'ca-enabled.cfg'] : [...common, 'webserver.conf', 'ca-disabled.cfg'];
}
