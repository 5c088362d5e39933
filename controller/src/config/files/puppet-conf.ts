// puppet.conf: [main] paths, [server] settings from the Config (and ca_ttl from its CA), [agent]
// extras. Built-in keys come first in a fixed order; extraConfig keys follow sorted and may override
// a built-in value (the key is then written once, in the built-in position).
import type { CertificateAuthority, ConfigSpec } from '@openvox/shared/runtime';
import { parseDurationSeconds } from '@openvox/shared/runtime';
import { writeIni, type IniScalar, type IniSection } from '../writers/ini.js';
import { autosignFiles, type ServerLayout } from '../../contracts/pod-layout.js';

type Entries = [string, IniScalar][];

function merge(builtIn: Entries, extra: Record<string, string> | undefined): Entries {
  const result = new Map<string, IniScalar>(builtIn);
  const extraKeys = Object.keys(extra ?? {}).sort();
  for (const key of extraKeys) result.set(key, extra![key]!);
  const order = [...builtIn.map(([k]) => k), ...extraKeys.filter((k) => !builtIn.some(([b]) => b === k))];
  return order.map((k) => [k, result.get(k)!]);
}

export function renderPuppetConf(spec: ConfigSpec, ca: CertificateAuthority | undefined, layout: ServerLayout): string {
  const puppet = spec.puppet ?? {};
  const main: Entries = [
    // tls-init names the server's files puppet.pem whatever the Certificate's certname; puppet's
    // hostcert/hostprivkey derive from certname, so they must agree (else the CA service of a CA
    // pod issues a second host certificate for the pod's hostname).
    ['certname', 'puppet'],
    ['confdir', layout.confdir],
    ['ssldir', layout.ssldir],
    ['vardir', layout.vardir],
    ['logdir', layout.logdir],
    ['codedir', layout.codedir],
    ['rundir', layout.rundir],
    ['hostcrl', layout.hostcrl],
    ['manage_internal_file_permissions', false],
    ['environmentpath', puppet.environmentPath ?? layout.environmentPath],
    ['hiera_config', puppet.hieraConfig ?? '$confdir/hiera.yaml'],
  ];
  const server: Entries = [['cadir', layout.cadir]];
  if (puppet.environmentTimeout) server.push(['environment_timeout', puppet.environmentTimeout]);
  if (puppet.storeconfigs) {
    server.push(['storeconfigs', true], ['storeconfigs_backend', puppet.storeBackend ?? 'puppetdb']);
  }
  server.push(['reports', puppet.reports ?? 'store']);
  if (ca && !ca.spec.external) {
    const ttl = parseDurationSeconds(ca.spec.ttl ?? '5y');
    if (ttl > 0) server.push(['ca_ttl', ttl]);
    // The CA service runs this for every CSR; it signs what the CA's SigningPolicies allow, nothing
    // without one (controller/src/signing-policy/autosign-script.ts). Only CA pods mount it.
    server.push(['autosign', autosignFiles(layout).executable]);
  }
  const sections: IniSection[] = [
    { name: 'main', entries: merge(main, puppet.extraConfig?.main) },
    { name: 'server', entries: merge(server, puppet.extraConfig?.server) },
  ];
  const agent = puppet.extraConfig?.agent;
  if (agent && Object.keys(agent).length > 0) sections.push({ name: 'agent', entries: merge([], agent) });
  return writeIni(sections);
}
