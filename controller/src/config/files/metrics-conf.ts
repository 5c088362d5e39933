// metrics.conf: the server id and the JMX reporter puppetserver ships enabled.
import { writeHocon } from '../writers/hocon.js';

export function renderMetricsConf(): string {
  return writeHocon({
    metrics: {
      'server-id': 'localhost',
      registries: { puppetserver: { reporters: { jmx: { enabled: true } } } },
    },
  });
}
