// webserver.conf (non-CA pods) and webserver-ca.conf (CA pods). All four ssl-* keys are set, so
// puppetserver never derives them from puppet settings (docs/puppetserver.md). Both
// point ssl-crl-path at the plain file `hostcrl` in the ssldir: on CA pods the CA service writes it,
// on other pods the crl-sync container keeps it equal to the `{ca}-ca-crl` Secret.
import type { ConfigSpec } from '@openvox/shared/runtime';
import { writeHocon } from '../../writers/hocon.js';
import type { ServerLayout } from '../../contracts/pod-layout.js';

export function renderWebserverConf(spec: ConfigSpec, layout: ServerLayout): string {
  return writeHocon({
    webserver: {
      'client-auth': spec.puppetserver?.clientAuth ?? 'want',
      'ssl-host': layout.sslHost,
      'ssl-port': layout.sslPort,
      'ssl-cert': layout.hostcert,
      'ssl-key': layout.hostprivkey,
      'ssl-ca-cert': layout.localcacert,
      'ssl-crl-path': layout.hostcrl,
    },
  });
}
