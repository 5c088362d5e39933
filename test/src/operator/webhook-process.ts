// One webhook process on 127.0.0.1 with a serving certificate from a fresh CA.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, issueCertificate } from '@openvox/shared/testing';
import { REPO_ROOT } from '../cluster/paths.js';
import { waitFor200 } from '../cluster/health.js';
import { startNodeChild, type Child } from './children.js';

const WEBHOOK_MAIN = join(REPO_ROOT, 'webhook', 'dist', 'main.js');

export interface ServingTls {
  ca: string;
  cert: string;
  key: string;
  caPem: string;
}

export async function writeServingCertificate(dir: string): Promise<ServingTls> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await createCa('openvox-webhook-local-ca', 30);
  const serving = await issueCertificate(ca, {
    commonName: 'openvox-webhook',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost'],
    usages: ['server'],
    days: 30,
  });
  const files = { ca: join(dir, 'ca.crt'), cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') };
  writeFileSync(files.ca, ca.certPem);
  writeFileSync(files.cert, serving.certPem);
  writeFileSync(files.key, serving.keyPem, { mode: 0o600 });
  return { ...files, caPem: ca.certPem };
}

export interface WebhookChildOptions {
  port: number;
  tls: ServingTls;
  kubeconfig?: string;
  logFile?: string;
  /** Flags for Node itself, e.g. a small heap limit that turns a leak into a crash. */
  nodeArgs?: string[];
  /** More webhook flags, e.g. --watch-namespaces. */
  extraArgs?: string[];
}

/** Starts `node webhook/dist/main.js` and waits until /readyz answers 200. */
export async function startWebhookChild(options: WebhookChildOptions): Promise<Child> {
  const args = [
    '--port',
    String(options.port),
    '--bind-address',
    '127.0.0.1',
    '--tls-cert',
    options.tls.cert,
    '--tls-key',
    options.tls.key,
  ];
  if (options.kubeconfig) args.push('--kubeconfig', options.kubeconfig);
  args.push(...(options.extraArgs ?? []));
  const webhook = startNodeChild('webhook', WEBHOOK_MAIN, args, options.logFile, options.nodeArgs);
  try {
    await waitFor200(
      'webhook',
      `https://127.0.0.1:${options.port}/readyz`,
      { ca: options.tls.ca },
      30_000,
      () => webhook.process.exitCode === null,
    );
  } catch (error) {
    await webhook.stop();
    throw error;
  }
  return webhook;
}
