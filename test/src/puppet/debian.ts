// The Debian-packaged puppetserver 7.9.5 and puppet-agent 7.23 (docs/puppetserver.md):
// where the package keeps what the OpenVox image keeps elsewhere, and how to check it is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../cluster/paths.js';

export const DEBIAN = {
  jar: '/usr/share/puppetserver/puppetserver.jar',
  installDir: '/usr/share/puppetserver',
  /** Files the image ships and the operator does not render; the local proof copies them. */
  bootstrapCfg: '/etc/puppet/puppetserver/services.d/bootstrap.cfg',
  webRoutesConf: '/etc/puppet/puppetserver/conf.d/web-routes.conf',
  /** jruby-puppet paths of the Debian package (the image's are under /opt/puppetlabs). */
  rubyLoadPath: ['/usr/lib/puppetserver/ruby/vendor_ruby'],
  gemHome: '/var/lib/puppetserver/jruby-gems',
  gemPath: ['/var/lib/puppetserver/jruby-gems', '/usr/lib/puppetserver/vendored-jruby-gems'],
  jrubyLib: '/usr/share/jruby/lib',
  puppet: '/usr/bin/puppet',
  java: '/usr/bin/java',
  user: 'puppet',
} as const;

export function packageVersion(name: string): string | undefined {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status} ${Version}', name], { encoding: 'utf8' });
  const m = /^install ok installed (\S+)$/.exec(r.stdout ?? '');
  return m?.[1];
}

/** Installs the packages with test/puppet/install.sh when they are missing (needs root). */
export function ensurePuppetInstalled(): { puppetserver: string; puppetAgent: string } {
  if (!packageVersion('puppetserver') || !packageVersion('puppet-agent')) {
    execFileSync('bash', [join(REPO_ROOT, 'test', 'puppet', 'install.sh')], { stdio: 'inherit' });
  }
  const puppetserver = packageVersion('puppetserver');
  const puppetAgent = packageVersion('puppet-agent');
  if (!puppetserver || !puppetAgent) throw new Error('puppetserver and puppet-agent are not installed');
  return { puppetserver, puppetAgent };
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
