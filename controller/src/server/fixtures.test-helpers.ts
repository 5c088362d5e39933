// Test fixtures shared by the render and reconcile unit tests.
import { API_VERSION, type Certificate, type CertificateAuthority, type Config, type Server } from '@openvox/shared';
import type { ContentHashes } from './render/index.js';

export const NS = 'prod';

export function server(name = 'compiler', spec: Partial<Server['spec']> = {}): Server {
  return {
    apiVersion: API_VERSION,
    kind: 'Server',
    metadata: { name, namespace: NS, uid: `uid-${name}`, generation: 3 },
    spec: {
      configRef: 'production',
      certificateRef: 'production-cert',
      ca: false,
      server: true,
      replicas: 2,
      javaArgs: '-Xms1g -Xmx2g',
      maxActiveInstances: 4,
      ...spec,
    },
  };
}

export function config(spec: Partial<Config['spec']> = {}): Config {
  return {
    apiVersion: API_VERSION,
    kind: 'Config',
    metadata: { name: 'production', namespace: NS, uid: 'uid-config' },
    spec: {
      image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0', pullPolicy: 'IfNotPresent' },
      authorityRef: 'production-ca',
      ...spec,
    },
  };
}

export function certificate(
  status: Certificate['status'] = { phase: 'Signed', secretName: 'production-cert-tls' },
): Certificate {
  return {
    apiVersion: API_VERSION,
    kind: 'Certificate',
    metadata: { name: 'production-cert', namespace: NS, uid: 'uid-cert' },
    spec: { authorityRef: 'production-ca' },
    status,
  };
}

export function authority(): CertificateAuthority {
  return {
    apiVersion: API_VERSION,
    kind: 'CertificateAuthority',
    metadata: { name: 'production-ca', namespace: NS, uid: 'uid-ca' },
    spec: {},
  };
}

export const HASHES: ContentHashes = {
  config: 'h-config',
  sslCert: 'h-cert',
  ca: 'h-ca',
};
