// CRL freshness as Prometheus series per CertificateAuthority (labels namespace and name): the
// published CRL's number and age (computed when scraped, so it grows between refreshes), whether the
// last refresh from the CA Server succeeded, and how many refreshes failed.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface CrlSample {
  crlNumber: number;
  thisUpdate: Date;
  synced: boolean;
}

export interface CaMetrics {
  set(namespace: string, name: string, sample: CrlSample): void;
  refreshFailed(namespace: string, name: string): void;
  forget(namespace: string, name: string): void;
}

export function createCaMetrics(registry: Registry, now: () => number = Date.now): CaMetrics {
  const registers = [registry];
  const labelNames = ['namespace', 'name'] as const;
  const thisUpdates = new Map<string, { labels: { namespace: string; name: string }; at: number }>();
  const number = new Gauge({
    name: 'openvox_ca_crl_number',
    help: 'CRL number of the CRL the CertificateAuthority publishes in {ca}-ca-crl.',
    labelNames,
    registers,
  });
  const synced = new Gauge({
    name: 'openvox_ca_crl_synced',
    help: '1 when the last CRL refresh from the CA Server succeeded and the published CRL is not behind it (condition CRLSynced).',
    labelNames,
    registers,
  });
  new Gauge({
    name: 'openvox_ca_crl_age_seconds',
    help: 'Seconds since thisUpdate of the published CRL.',
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const { labels, at } of thisUpdates.values()) this.set(labels, Math.max(0, (now() - at) / 1000));
    },
  });
  const failures = new Counter({
    name: 'openvox_ca_crl_refresh_failures_total',
    help: 'CRL refreshes from the CA Server that failed (unreachable, HTTP error, a CRL of another CA).',
    labelNames,
    registers,
  });
  return {
    set(namespace, name, sample) {
      const labels = { namespace, name };
      number.set(labels, sample.crlNumber);
      synced.set(labels, sample.synced ? 1 : 0);
      thisUpdates.set(`${namespace}/${name}`, { labels, at: sample.thisUpdate.getTime() });
    },
    refreshFailed(namespace, name) {
      failures.inc({ namespace, name });
    },
    forget(namespace, name) {
      const labels = { namespace, name };
      number.remove(labels);
      synced.remove(labels);
      failures.remove(labels);
      thisUpdates.delete(`${namespace}/${name}`);
    },
  };
}
