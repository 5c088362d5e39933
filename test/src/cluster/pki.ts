// A throwaway PKI for the local API server: one CA for serving and client certificates, an SA key.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, createKeyPairPem, issueCertificate } from '@openvox/shared';

export interface ClusterPki {
  caCert: string;
  caKey: string;
  /** kube-apiserver finds apiserver.crt/apiserver.key in --cert-dir by these names. */
  certDir: string;
  adminCert: string;
  adminKey: string;
  saPublic: string;
  saPrivate: string;
}

export async function writeClusterPki(dir: string): Promise<ClusterPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await createCa('openvox-local-cluster-ca', 30);
  const serving = await issueCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: ['127.0.0.1', '10.0.0.1'],
    usages: ['server'],
    days: 30,
  });
  // Group system:masters bypasses RBAC: this is the cluster admin of a throwaway cluster.
  const admin = await issueCertificate(ca, {
    commonName: 'admin',
    organization: 'system:masters',
    usages: ['client'],
    days: 30,
  });
  const sa = await createKeyPairPem();
  const files: Record<string, string> = {
    'ca.crt': ca.certPem,
    'ca.key': ca.keyPem,
    'apiserver.crt': serving.certPem,
    'apiserver.key': serving.keyPem,
    'admin.crt': admin.certPem,
    'admin.key': admin.keyPem,
    'sa.pub': sa.publicPem,
    'sa.key': sa.privatePem,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    certDir: dir,
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    saPublic: join(dir, 'sa.pub'),
    saPrivate: join(dir, 'sa.key'),
  };
}
