// metrics.conf: the server id and the reporters. Without spec.metrics, the JMX reporter puppetserver
// ships enabled. With it, as the Go operator: the registries block only when metrics.enabled, JMX and
// Graphite as switched on; Graphite's host, port and interval go to the top-level reporters block,
// where puppetserver reads them (metrics.conf as puppetserver documents it).
import type { ConfigSpec } from '@openvox/shared/runtime';
import { writeHocon, type HoconObject } from '../../writers/hocon.js';

export function renderMetricsConf(metrics?: ConfigSpec['metrics']): string {
  if (!metrics) {
    return writeHocon({
      metrics: {
        'server-id': 'localhost',
        registries: { puppetserver: { reporters: { jmx: { enabled: true } } } },
      },
    });
  }
  const graphite = metrics.enabled === true && metrics.graphite?.enabled === true ? metrics.graphite : undefined;
  const reporters: HoconObject = {
    ...(metrics.jmx?.enabled === true ? { jmx: { enabled: true } } : {}),
    ...(graphite ? { graphite: { enabled: true } } : {}),
  };
  return writeHocon({
    metrics: {
      'server-id': 'localhost',
      ...(metrics.enabled === true ? { registries: { puppetserver: { reporters } } } : {}),
      ...(graphite
        ? {
            reporters: {
              graphite: {
                host: graphite.host ?? '',
                port: graphite.port ?? 2003,
                'update-interval-seconds': graphite.updateIntervalSeconds ?? 60,
              },
            },
          }
        : {}),
    },
  });
}
