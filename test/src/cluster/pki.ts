// A throwaway PKI for the local API server: one CA for serving and client certificates, an SA key.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, createKeyPairPem, issueCertificate } from '@openvox/shared/testing';

export interface ClusterPki {
  caCert: string;
  caKey: string;
  /** kube-apiserver finds apiserver.crt/apiserver.key in --cert-dir by these names. */
  certDir: string;
  adminCert: string;
  adminKey: string;
  saPublic: string;
  saPrivate: string;
  /** The node: kubelet's client identity (Node authorizer), its serving certificate, and the API server's client to it. */
  kubeletClientCert: string;
  kubeletClientKey: string;
  kubeletServingCert: string;
  kubeletServingKey: string;
  apiserverKubeletClientCert: string;
  apiserverKubeletClientKey: string;
}

/** Extra addresses the API server answers on (the node IP, so pods reach it through the `kubernetes` Service). */
export interface PkiOptions {
  apiserverIps?: string[];
  nodeName: string;
  nodeIp: string;
}

export async function writeClusterPki(dir: string, options: PkiOptions): Promise<ClusterPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await createCa('openvox-local-cluster-ca', 30);
  const serving = await issueCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: ['127.0.0.1', '10.0.0.1', ...(options.apiserverIps ?? [])],
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
  const kubeletClient = await issueCertificate(ca, {
    commonName: `system:node:${options.nodeName}`,
    organization: 'system:nodes',
    usages: ['client'],
    days: 30,
  });
  const kubeletServing = await issueCertificate(ca, {
    commonName: options.nodeName,
    dnsNames: [options.nodeName],
    ipAddresses: [options.nodeIp],
    usages: ['server'],
    days: 30,
  });
  // logs, exec and port-forward: the API server authenticates to the kubelet with this.
  const apiserverKubeletClient = await issueCertificate(ca, {
    commonName: 'kube-apiserver-kubelet-client',
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
    'kubelet-client.crt': kubeletClient.certPem,
    'kubelet-client.key': kubeletClient.keyPem,
    'kubelet-serving.crt': kubeletServing.certPem,
    'kubelet-serving.key': kubeletServing.keyPem,
    'apiserver-kubelet-client.crt': apiserverKubeletClient.certPem,
    'apiserver-kubelet-client.key': apiserverKubeletClient.keyPem,
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
    kubeletClientCert: join(dir, 'kubelet-client.crt'),
    kubeletClientKey: join(dir, 'kubelet-client.key'),
    kubeletServingCert: join(dir, 'kubelet-serving.crt'),
    kubeletServingKey: join(dir, 'kubelet-serving.key'),
    apiserverKubeletClientCert: join(dir, 'apiserver-kubelet-client.crt'),
    apiserverKubeletClientKey: join(dir, 'apiserver-kubelet-client.key'),
  };
}
