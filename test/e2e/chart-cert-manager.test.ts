// The chart's cert-manager mode for real: cert-manager's own controller and cainjector (built from its
// Go module) run against the local control plane, issue the webhook's serving certificate through the
// chart's Issuer chain and inject the CA into both webhook configurations. The injected caBundle then
// verifies the issued certificate as served by the real webhook process.
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHART_DIR, helm, withValuesFile } from '../src/chart/helm.js';
import { certManagerCrds } from '../src/chart/cert-manager-crds.js';
import type { K8sObject } from '../src/chart/render.js';
import { buildCertManager, startCertManager, type RunningCertManager } from '../src/chart/cert-manager-process.js';
import { clusterPaths } from '../src/cluster/paths.js';
import { freePort } from '../src/cluster/processes.js';
import { kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { startNodeChild } from '../src/operator/children.js';
import { REPO_ROOT } from '../src/cluster/paths.js';

const id = randomBytes(3).toString('hex');
const release = `cm-${id}`;
const webhook = `${release}-openvox-operator-webhook`;
const configName = `${release}-openvox-operator`;
const WEBHOOK_MAIN = join(REPO_ROOT, 'webhook', 'dist', 'main.js');
let ns: string;
let tmp: string;
let certManager: RunningCertManager | undefined;

function getJson(args: string[]): K8sObject {
  return JSON.parse(kubectlOk([...args, '-o', 'json'])) as K8sObject;
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (!certManager?.alive()) throw new Error(`cert-manager exited while waiting for ${what}; see ${tmp}`);
    if (Date.now() > deadline) throw new Error(`${what} not reached after ${timeoutMs / 1000} s; logs in ${tmp}`);
    await sleep(500);
  }
}

function tlsSecret(): { crt: string; key: string; ca: string } | undefined {
  const secret = JSON.parse(kubectlOk(['get', 'secrets', '-n', ns, '-o', 'json'])).items.find(
    (s: { metadata: { name: string } }) => s.metadata.name === `${webhook}-tls`,
  );
  if (!secret?.data?.['tls.crt']) return undefined;
  const decode = (key: string) => Buffer.from(secret.data[key], 'base64').toString('utf8');
  return { crt: decode('tls.crt'), key: decode('tls.key'), ca: decode('ca.crt') };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'chart-cert-manager-'));
  const binDir = buildCertManager();
  const crds = certManagerCrds();
  kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=chart-test', '-f', '-'], crds);
  kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c.metadata.name}`)]);
  certManager = startCertManager(binDir, clusterPaths.kubeconfig, tmp);
  ns = createNamespace('chart-cm');
}, 30 * 60_000);

afterAll(async () => {
  if (ns) helm(['uninstall', release, '--namespace', ns]);
  await certManager?.stop();
  if (ns) deleteNamespace(ns);
  rmSync(tmp, { recursive: true, force: true });
});

describe('cert-manager mode with a running cert-manager', () => {
  let issued: { crt: string; key: string; ca: string };

  it('installs the chart (webhooks matching no namespace: the Service is unreachable on loopback)', () => {
    const values = {
      crds: { enabled: false },
      webhook: { namespaceSelector: { matchLabels: { 'openvox.voxpupuli.org/chart-test': release } } },
    };
    const result = withValuesFile(values, (file) => helm(['install', release, CHART_DIR, '-n', ns, '--values', file]));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('issues the CA and then the serving certificate through the chart Issuers', async () => {
    for (const name of [`${webhook}-ca`, webhook]) {
      const ready = await until(`Certificate ${name} Ready`, 90_000, () => {
        const cert = getJson(['get', 'certificates.cert-manager.io', name, '-n', ns]);
        const condition = cert.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
        return condition?.status === 'True' ? condition : undefined;
      });
      expect(ready.reason).toBe('Ready');
    }
    issued = await until('serving Secret', 30_000, tlsSecret);
    const leaf = new X509Certificate(issued.crt);
    const ca = new X509Certificate(issued.ca);
    expect(leaf.subjectAltName?.split(', ').sort()).toEqual(
      [webhook, `${webhook}.${ns}`, `${webhook}.${ns}.svc`, `${webhook}.${ns}.svc.cluster.local`]
        .map((n) => `DNS:${n}`)
        .sort(),
    );
    expect(ca.subject).toContain(`CN=${webhook}-ca`);
    expect(ca.ca).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
  }, 150_000);

  it('cainjector puts that CA into both webhook configurations', async () => {
    for (const kind of ['mutatingwebhookconfiguration', 'validatingwebhookconfiguration']) {
      const bundle = await until(`caBundle in ${kind}`, 60_000, () => {
        const value = getJson(['get', kind, configName]).webhooks[0].clientConfig.caBundle as string | undefined;
        return value ? value : undefined;
      });
      expect(Buffer.from(bundle, 'base64').toString('utf8')).toBe(issued.ca);
    }
  }, 150_000);

  it('renews the serving certificate (Secret deleted) under the same CA; the caBundle matches the CA that signed it', async () => {
    const caCertificate = () => getJson(['get', 'certificates.cert-manager.io', `${webhook}-ca`, '-n', ns]);
    const caSecret = () => getJson(['get', 'secret', `${webhook}-ca`, '-n', ns]).data['tls.crt'] as string;
    const before = {
      serial: new X509Certificate(issued.crt).serialNumber,
      revision: caCertificate().status.revision,
      ca: caSecret(),
    };
    kubectlOk(['delete', 'secret', `${webhook}-tls`, '-n', ns]);
    const renewed = await until('re-issued serving Secret', 60_000, () => {
      const secret = tlsSecret();
      return secret && new X509Certificate(secret.crt).serialNumber !== before.serial ? secret : undefined;
    });
    // A leaf renewal leaves the CA alone: same revision, same certificate, and it signed the new leaf.
    expect(caCertificate().status.revision).toBe(before.revision);
    expect(caSecret()).toBe(before.ca);
    expect(renewed.ca).toBe(Buffer.from(before.ca, 'base64').toString('utf8'));
    expect(new X509Certificate(renewed.crt).checkIssued(new X509Certificate(renewed.ca))).toBe(true);
    for (const kind of ['mutatingwebhookconfiguration', 'validatingwebhookconfiguration']) {
      await until(`caBundle of ${kind} = the renewed certificate's CA`, 60_000, () => {
        const bundle = getJson(['get', kind, configName]).webhooks[0].clientConfig.caBundle as string;
        return Buffer.from(bundle, 'base64').toString('utf8') === renewed.ca ? true : undefined;
      });
    }
    issued = renewed;
  }, 150_000);

  it('the injected caBundle verifies the issued certificate as the real webhook serves it', async () => {
    const files = { cert: join(tmp, 'tls.crt'), key: join(tmp, 'tls.key') };
    writeFileSync(files.cert, issued.crt);
    writeFileSync(files.key, issued.key, { mode: 0o600 });
    const bundle = getJson(['get', 'validatingwebhookconfiguration', configName]).webhooks[0].clientConfig.caBundle;
    const port = await freePort();
    const args = [
      '--port',
      String(port),
      '--bind-address',
      '127.0.0.1',
      '--tls-cert',
      files.cert,
      '--tls-key',
      files.key,
    ];
    const child = startNodeChild('webhook', WEBHOOK_MAIN, args, join(tmp, 'webhook.log'));
    try {
      // As the API server would: trust only the caBundle and check the name it dials (<svc>.<ns>.svc).
      const get = () =>
        new Promise<number | string>((resolve) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              path: '/readyz',
              servername: `${webhook}.${ns}.svc`,
              ca: Buffer.from(bundle, 'base64'),
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', (error) => resolve(error.message));
          req.end();
        });
      let answer: number | string = 'no answer';
      for (const deadline = Date.now() + 30_000; answer !== 200 && Date.now() < deadline; await sleep(250)) {
        answer = await get();
      }
      expect(answer).toBe(200);
    } finally {
      await child.stop();
    }
  }, 60_000);
});
