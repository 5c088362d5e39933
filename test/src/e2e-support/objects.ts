// Reading objects and building the stack's objects for a namespace.
import { kubectl, kubectlOk } from './kubectl.js';
import { until } from './poll.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = any;

export const API = 'openvox.voxpupuli.org/v1alpha1';
// Fully qualified: cert-manager's CRDs (installed by the chart tests) also define `certificate`.
export const KIND = {
  server: 'servers.openvox.voxpupuli.org',
  config: 'configs.openvox.voxpupuli.org',
  certificate: 'certificates.openvox.voxpupuli.org',
  ca: 'certificateauthorities.openvox.voxpupuli.org',
  pool: 'pools.openvox.voxpupuli.org',
};

export function getObject(kind: string, name: string, ns: string): Obj | undefined {
  const r = kubectl(['get', kind, name, '-n', ns, '-o', 'json']);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

export function listObjects(kind: string, ns: string, selector?: string): Obj[] {
  const args = ['get', kind, '-n', ns, '-o', 'json', ...(selector ? ['-l', selector] : [])];
  return JSON.parse(kubectlOk(args)).items;
}

export function server(name: string, ns: string, spec: Record<string, unknown> = {}): Obj {
  return {
    apiVersion: API,
    kind: 'Server',
    metadata: { name, namespace: ns },
    spec: { configRef: 'production', certificateRef: 'production-cert', ...spec },
  };
}

/** Extra spec fields of the stack's CA and Config. */
export interface StackOptions {
  ca?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** CA, Config and Certificate as in examples/, and waits until the operator has signed the certificate. */
export async function applyStack(ns: string, options: StackOptions = {}): Promise<void> {
  kubectlOk(
    ['apply', '-n', ns, '-f', '-'],
    [
      { apiVersion: API, kind: 'CertificateAuthority', metadata: { name: 'production-ca' }, spec: { ...options.ca } },
      {
        apiVersion: API,
        kind: 'Config',
        metadata: { name: 'production' },
        spec: {
          authorityRef: 'production-ca',
          image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
          ...options.config,
        },
      },
      {
        apiVersion: API,
        kind: 'Certificate',
        metadata: { name: 'production-cert' },
        spec: { authorityRef: 'production-ca', certname: 'puppet' },
      },
    ],
  );
  await until(
    'Certificate production-cert Signed',
    () => getObject(KIND.certificate, 'production-cert', ns)?.status?.phase === 'Signed',
    90_000,
  );
  await until('ConfigMap production-config', () => getObject('configmap', 'production-config', ns));
}
