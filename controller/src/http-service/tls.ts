// The TLS files of the pod's scripts: the Server's own Puppet certificate (for mTLS) and the Puppet CA
// (trusted for https besides the system CAs), as tls-init lays them out in the ssldir.
import type { ServerLayout } from '../contracts/pod-layout.js';

export interface TlsSettings {
  clientCertificate: boolean;
  certFile: string;
  keyFile: string;
  caFile: string;
}

export function tlsSettings(layout: ServerLayout, clientCertificate: boolean): TlsSettings {
  return { clientCertificate, certFile: layout.hostcert, keyFile: layout.hostprivkey, caFile: layout.localcacert };
}
