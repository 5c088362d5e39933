// puppet.conf: [main] paths, [server] settings from the Config (and ca_ttl from its CA), [agent]
// extras. Built-in keys come first in a fixed order; extraConfig keys follow sorted and may override
// a built-in value (the key is then written once, in the built-in position).
import type { CertificateAuthority, ConfigSpec } from '@openvox/shared/runtime';
import { parseDurationSeconds } from '@openvox/shared/runtime';
import { writeIni, type IniScalar, type IniSection } from '../../writers/ini.js';
import { autosignFiles, encFiles, type ServerLayout } from '../../contracts/pod-layout.js';
import { REPORT_PROCESSOR_NAME } from '../../contracts/names.js';

/** What else the Config's Servers run, besides what its spec says. */
export interface PuppetConfExtras {
  /** At least one ReportProcessor names the Config: its report processor joins `reports`. */
  reportProcessors: boolean;
  /**
   * The URL of the Database the Config names (databaseRef), written to puppetdb.conf. Its Servers then
   * store facts and catalogs there (storeconfigs with the puppetdb backend) and send it their reports,
   * the settings the Go operator defaults to.
   */
  databaseUrl?: string;
}

/** The report processor of the PuppetDB termini. */
export const PUPPETDB_REPORTS = 'puppetdb';

/** `reports` with `puppetdb` added for a Database, unless the Config asks for no reports at all. */
export function withPuppetdbReports(reports: string): string {
  const names = reports
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (names.includes('none') || names.includes(PUPPETDB_REPORTS)) return reports;
  return [...names, PUPPETDB_REPORTS].join(',');
}

/** `reports` with the operator's report processor added (alone when the list is empty or none). */
export function reportsSetting(reports: string, withProcessors: boolean): string {
  if (!withProcessors) return reports;
  const names = reports
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '' && r !== 'none' && r !== REPORT_PROCESSOR_NAME);
  return [...names, REPORT_PROCESSOR_NAME].join(',');
}

type Entries = [string, IniScalar][];

function merge(builtIn: Entries, extra: Record<string, string> | undefined): Entries {
  const result = new Map<string, IniScalar>(builtIn);
  const extraKeys = Object.keys(extra ?? {}).sort();
  for (const key of extraKeys) result.set(key, extra![key]!);
  const order = [...builtIn.map(([k]) => k), ...extraKeys.filter((k) => !builtIn.some(([b]) => b === k))];
  return order.map((k) => [k, result.get(k)!]);
}

export function renderPuppetConf(
  spec: ConfigSpec,
  ca: CertificateAuthority | undefined,
  layout: ServerLayout,
  extras: PuppetConfExtras = { reportProcessors: false },
): string {
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
  const database = extras.databaseUrl !== undefined;
  if (puppet.storeconfigs || database) {
    server.push(['storeconfigs', true], ['storeconfigs_backend', puppet.storeBackend ?? 'puppetdb']);
  }
  const reports = puppet.reports ?? 'store';
  server.push(['reports', reportsSetting(database ? withPuppetdbReports(reports) : reports, extras.reportProcessors)]);
  if (ca && !ca.spec.external) {
    const ttl = parseDurationSeconds(ca.spec.ttl ?? '5y');
    if (ttl > 0) server.push(['ca_ttl', ttl]);
    // The CA service runs this for every CSR; it signs what the CA's SigningPolicies allow, nothing
    // without one (controller/src/signing-policy/autosign-script.ts). Only CA pods mount it.
    server.push(['autosign', autosignFiles(layout).executable]);
  }
  if (spec.nodeClassifierRef) {
    // Set whenever the Config names a classifier, even one that is missing or unusable: its script then
    // refuses every node with the reason (node-classifier/enc-script.ts), instead of catalogs without
    // the node's classes.
    server.push(['node_terminus', 'exec'], ['external_nodes', encFiles(layout).executable]);
  }
  const sections: IniSection[] = [
    { name: 'main', entries: merge(main, puppet.extraConfig?.main) },
    { name: 'server', entries: merge(server, puppet.extraConfig?.server) },
  ];
  const agent = puppet.extraConfig?.agent;
  if (agent && Object.keys(agent).length > 0) sections.push({ name: 'agent', entries: merge([], agent) });
  return writeIni(sections);
}
