// A connection to an HTTP stand-in of the API server on 127.0.0.1 (unit tests of the REST layer).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromAccess, type KubeConnection } from '@openvox/shared/informer';

export function localKubeConfig(server: Server): KubeConnection {
  return fromAccess({
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    insecureSkipTlsVerify: true,
  });
}
