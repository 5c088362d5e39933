// `kubectl apply -f examples/` with nothing made by hand: the operator running against the local API
// server creates the CA Secrets and claim, the signed certificate Secret, the ConfigMap, the Pool
// Services and the Server's Deployment; the certificate verifies against the CA with openssl; and
// rotating the certificate (deleting its Secret) re-issues it and rolls the pod template.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { REPO_ROOT } from '../src/cluster/paths.js';
import { until } from '../src/e2e-support/poll.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

const TEST_MS = 180_000;
// Fully qualified: `certificate` alone may mean cert-manager's kind on a shared cluster.
const CA_KIND = 'certificateauthorities.openvox.voxpupuli.org';
const CERT_KIND = 'certificates.openvox.voxpupuli.org';
const CONFIG_KIND = 'configs.openvox.voxpupuli.org';
const POOL_KIND = 'pools.openvox.voxpupuli.org';
const SERVER_KIND = 'servers.openvox.voxpupuli.org';
let ns: string;
let dir: string;

function get(kind: string, name: string): Obj | undefined {
  const r = kubectl(['get', kind, name, '-n', ns, '-o', 'json']);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

const decode = (secret: Obj, key: string): string => Buffer.from(secret.data[key], 'base64').toString('utf8');

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  ns = createNamespace('e2e-stack');
  dir = mkdtempSync(join(tmpdir(), 'e2e-stack-'));
  kubectlOk(['apply', '-n', ns, '-f', join(REPO_ROOT, 'examples')]);
});

afterAll(() => {
  deleteNamespace(ns);
  rmSync(dir, { recursive: true, force: true });
});

describe('the stack from examples/', () => {
  it(
    'makes the CA: Secrets, CRL, data claim, status Ready with notAfter',
    async () => {
      const ca = await until('CertificateAuthority Ready', () => {
        const o = get(CA_KIND, 'production-ca');
        return o?.status?.phase === 'Ready' && o;
      });
      expect(ca.status.caSecretName).toBe('production-ca-ca');
      expect(ca.status.conditions[0]).toMatchObject({ type: 'CAReady', status: 'True', observedGeneration: 1 });
      const pub = get('secret', 'production-ca-ca')!;
      const key = get('secret', 'production-ca-ca-key')!;
      expect(Object.keys(pub.data)).toEqual(['ca_crt.pem']);
      expect(Object.keys(key.data).sort()).toEqual(['ca_crt.pem', 'ca_key.pem', 'ca_pub.pem']);
      expect(key.metadata.ownerReferences).toBeUndefined();
      writeFileSync(join(dir, 'ca.pem'), decode(pub, 'ca_crt.pem'));
      writeFileSync(join(dir, 'crl.pem'), decode(get('secret', 'production-ca-ca-crl')!, 'ca_crl.pem'));
      expect(openssl(['x509', '-in', 'ca.pem', '-noout', '-subject'])).toContain('Puppet CA: production-ca');
      expect(openssl(['crl', '-in', 'crl.pem', '-noout', '-CAfile', 'ca.pem'])).toBe('');
      const notAfter = openssl(['x509', '-in', 'ca.pem', '-noout', '-enddate']).trim().replace('notAfter=', '');
      expect(new Date(ca.status.notAfter).getTime()).toBe(new Date(notAfter).getTime());
      // the private key is nowhere in the status or the events
      const events = kubectlOk(['get', 'events', '-n', ns, '-o', 'json']);
      expect(JSON.stringify(ca.status) + events).not.toContain('PRIVATE KEY');
      const pvc = await until('claim production-ca-data', () => get('pvc', 'production-ca-data'));
      expect(pvc.spec.resources.requests.storage).toBe('1Gi');
      expect(pvc.metadata.ownerReferences).toBeUndefined();
    },
    TEST_MS,
  );

  it(
    'signs the certificate with the CA: openssl verifies it, with the Service names of the Pools',
    async () => {
      const cert = await until(
        'Certificate Signed',
        () => {
          const o = get(CERT_KIND, 'production-cert');
          return o?.status?.phase === 'Signed' && o;
        },
        60_000,
        () => get(CERT_KIND, 'production-cert')?.status,
      );
      expect(cert.status.secretName).toBe('production-cert-tls');
      const tls = get('secret', 'production-cert-tls')!;
      expect(Object.keys(tls.data).sort()).toEqual(['ca_crt.pem', 'cert.pem', 'key.pem']);
      writeFileSync(join(dir, 'cert.pem'), decode(tls, 'cert.pem'));
      writeFileSync(join(dir, 'key.pem'), decode(tls, 'key.pem'));
      expect(
        openssl([
          'verify',
          '-CAfile',
          'ca.pem',
          '-crl_check',
          '-CRLfile',
          'crl.pem',
          '-purpose',
          'sslserver',
          'cert.pem',
        ]),
      ).toContain('cert.pem: OK');
      const text = openssl(['x509', '-in', 'cert.pem', '-noout', '-text']);
      expect(text).toMatch(/Subject: CN ?= ?puppet\n/);
      for (const name of [
        'puppet',
        'production-server',
        `production-ca.${ns}.svc`,
        `production-server.${ns}.svc.cluster.local`,
      ]) {
        expect(text).toContain(`DNS:${name}`);
      }
      expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
      const pubFromKey = openssl(['pkey', '-in', 'key.pem', '-pubout']);
      expect(openssl(['x509', '-in', 'cert.pem', '-noout', '-pubkey'])).toBe(pubFromKey);
      expect(new Date(cert.status.notAfter).getTime()).toBeGreaterThan(Date.now());
    },
    TEST_MS,
  );

  it(
    'renders the Config into production-config and reports Running',
    async () => {
      const config = await until('Config Running', () => {
        const o = get(CONFIG_KIND, 'production');
        return o?.status?.phase === 'Running' && o;
      });
      expect(config.status.configMapName).toBe('production-config');
      const cm = get('configmap', 'production-config')!;
      expect(Object.keys(cm.data)).toEqual([
        'auth.conf',
        'ca-disabled.cfg',
        'ca-enabled.cfg',
        'ca.conf',
        'logback.xml',
        'metrics.conf',
        'product.conf',
        'puppet.conf',
        'puppetdb.conf',
        'puppetserver.conf',
        'webserver-ca.conf',
        'webserver.conf',
      ]);
      expect(cm.data['puppet.conf']).toContain(`ca_ttl = ${5 * 365 * 86_400}`);
      expect(cm.metadata.ownerReferences[0]).toMatchObject({ kind: 'Config', name: 'production', controller: true });
    },
    TEST_MS,
  );

  it(
    'gives each Pool a Service on 8140 selecting its pool label',
    async () => {
      for (const pool of ['production-ca', 'production-server']) {
        const svc = await until(`Service ${pool}`, () => get('service', pool));
        expect(svc.spec.selector).toEqual({ [`openvox.voxpupuli.org/pool-${pool}`]: 'true' });
        expect(svc.spec.ports).toEqual([{ name: 'https', protocol: 'TCP', port: 8140, targetPort: 8140 }]);
        await until(`Pool ${pool} status`, () => get(POOL_KIND, pool)?.status?.serviceName === pool);
      }
    },
    TEST_MS,
  );

  it(
    'lets the Server controller create the Deployment from the operator-made objects',
    async () => {
      const deployment = await until('Deployment production-ca', () => get('deployment', 'production-ca'), 90_000);
      const volumes = deployment.spec.template.spec.volumes.map((v: Obj) => v.name);
      expect(volumes).toEqual(expect.arrayContaining(['ssl-cert', 'ssl-ca', 'ca-data']));
      const server = get(SERVER_KIND, 'production-ca')!;
      expect(server.status.conditions.find((c: Obj) => c.type === 'SSLBootstrapped')).toMatchObject({ status: 'True' });
    },
    TEST_MS,
  );

  it(
    're-issues a deleted certificate Secret and rolls the pod template',
    async () => {
      const hash = () =>
        get('deployment', 'production-ca')?.spec.template.metadata.annotations['openvox.voxpupuli.org/ssl-secret-hash'];
      const before = await until('ssl-secret-hash', hash);
      const serialBefore = openssl(['x509', '-in', 'cert.pem', '-noout', '-serial']);
      kubectlOk(['delete', 'secret', 'production-cert-tls', '-n', ns]);
      const tls = await until('a new production-cert-tls', () => get('secret', 'production-cert-tls'));
      writeFileSync(join(dir, 'cert2.pem'), decode(tls, 'cert.pem'));
      expect(openssl(['x509', '-in', 'cert2.pem', '-noout', '-serial'])).not.toBe(serialBefore);
      expect(openssl(['verify', '-CAfile', 'ca.pem', 'cert2.pem'])).toContain('cert2.pem: OK');
      const after = await until('a new ssl-secret-hash', () => hash() !== before && hash(), 90_000);
      expect(after).toMatch(/^[0-9a-f]{64}$/);
    },
    TEST_MS,
  );
});
