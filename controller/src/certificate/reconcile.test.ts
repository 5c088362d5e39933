import { X509Certificate } from 'node:crypto';
import { API_VERSION, type Certificate, type CertificateAuthority } from '@openvox/shared';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { CertificateAuthorityReconciler } from '../certificate-authority/reconcile.js';
import { CertificateReconciler } from './reconcile.js';

const NS = 'prod';
const caObj: CertificateAuthority & KubeObject = {
  apiVersion: API_VERSION,
  kind: 'CertificateAuthority',
  metadata: { name: 'production-ca', namespace: NS, uid: 'uid-ca' },
  spec: { ttl: '10y' },
};
const certObj = (spec: Partial<Certificate['spec']> = {}): Certificate & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'Certificate',
  metadata: { name: 'production-cert', namespace: NS, uid: 'uid-cert', generation: 2 },
  spec: { authorityRef: 'production-ca', certname: 'puppet', dnsAltNames: ['puppet'], ...spec },
});
const text = (o: KubeObject | undefined, key: string) =>
  Buffer.from((o as { data: Record<string, string> }).data[key]!, 'base64').toString();

function setup() {
  const api = fakeApi();
  const caches = {
    certificates: api.cache<Certificate & KubeObject>('Certificate'),
    authorities: api.cache<CertificateAuthority & KubeObject>('CertificateAuthority'),
    servers: api.cache('Server'),
    pools: api.cache('Pool'),
    secrets: api.cache('Secret'),
  };
  const caReconciler = new CertificateAuthorityReconciler({
    ...api,
    keyAlgorithm: 'ec-p256',
    caches: { authorities: caches.authorities, secrets: caches.secrets, claims: api.cache('PersistentVolumeClaim') },
  });
  const reconciler = new CertificateReconciler({ ...api, keyAlgorithm: 'rsa-2048', caches: caches as never });
  return { api, caches, caReconciler, reconciler };
}

const status = (api: ReturnType<typeof fakeApi>) =>
  api.cache('Certificate').get(NS, 'production-cert')!.status as Record<string, unknown> & {
    conditions: { reason: string }[];
  };

describe('CertificateReconciler', () => {
  it('waits for the CA, then issues {cert}-tls signed by it and reports Signed; a resync writes nothing', async () => {
    const { api, caches, caReconciler, reconciler } = setup();
    caches.certificates.put(certObj());
    expect(await reconciler.reconcile(`${NS}/production-cert`)).toBeUndefined();
    expect(status(api)).toMatchObject({ phase: 'Error' });
    expect(status(api).conditions[0]!.reason).toBe('CertificateAuthorityNotFound');

    caches.authorities.put(caObj);
    expect(await reconciler.reconcile(`${NS}/production-cert`)).toEqual({ requeueAfterMs: 5000 });
    expect(status(api)).toMatchObject({ phase: 'Pending' });

    await caReconciler.reconcile(`${NS}/production-ca`);
    api.writes.length = 0;
    const result = await reconciler.reconcile(`${NS}/production-cert`);
    expect(api.writes).toEqual(['apply Secret production-cert-tls', 'status Certificate production-cert']);
    const secret = caches.secrets.get(NS, 'production-cert-tls');
    const cert = new X509Certificate(text(secret, 'cert.pem'));
    const ca = new X509Certificate(text(caches.secrets.get(NS, 'production-ca-ca'), 'ca_crt.pem'));
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(new X509Certificate(text(secret, 'ca_crt.pem')).raw.equals(ca.raw)).toBe(true);
    expect(status(api)).toMatchObject({ phase: 'Signed', secretName: 'production-cert-tls', observedGeneration: 2 });
    expect(result?.requeueAfterMs).toBe(12 * 3600_000);

    api.writes.length = 0;
    await reconciler.reconcile(`${NS}/production-cert`);
    expect(api.writes).toEqual([]);
  });

  it('re-issues with the same key when a Server using it joins a Pool, and says so in an Event', async () => {
    const { api, caches, caReconciler, reconciler } = setup();
    caches.authorities.put(caObj);
    caches.certificates.put(certObj());
    await caReconciler.reconcile(`${NS}/production-ca`);
    await reconciler.reconcile(`${NS}/production-cert`);
    const before = caches.secrets.get(NS, 'production-cert-tls');
    caches.servers.put({
      apiVersion: API_VERSION,
      kind: 'Server',
      metadata: { name: 'compiler', namespace: NS },
      spec: { configRef: 'c', certificateRef: 'production-cert', poolRefs: ['production-server'] },
    } as KubeObject);
    caches.pools.put({
      apiVersion: API_VERSION,
      kind: 'Pool',
      metadata: { name: 'production-server', namespace: NS },
      spec: {},
    } as KubeObject);
    api.writes.length = 0;
    await reconciler.reconcile(`${NS}/production-cert`);
    expect(api.writes).toEqual(['apply Secret production-cert-tls']);
    const after = caches.secrets.get(NS, 'production-cert-tls');
    expect(text(after, 'key.pem')).toBe(text(before, 'key.pem'));
    const cert = new X509Certificate(text(after, 'cert.pem'));
    expect(cert.checkHost('production-server.prod.svc')).toBe('production-server.prod.svc');
    // The Server's own name is no client-facing name: no Service carries it.
    expect(cert.checkHost('compiler.prod.svc.cluster.local')).toBeUndefined();
    expect(api.events.filter((e) => e.reason === 'CertificateRenewed')).toHaveLength(1);
    expect(api.events.find((e) => e.reason === 'CertificateRenewed')!.message).toMatch(/re-issued for new names/);
  });

  it('renews within renewBefore, and reports a renewBefore longer than the lifetime instead of looping', async () => {
    const { api, caches, caReconciler, reconciler } = setup();
    caches.authorities.put(caObj);
    caches.certificates.put(certObj());
    await caReconciler.reconcile(`${NS}/production-ca`);
    await reconciler.reconcile(`${NS}/production-cert`);
    caches.certificates.put({
      ...certObj({ renewBefore: '99999d' }),
      status: status(api),
    } as KubeObject as Certificate & KubeObject);
    api.writes.length = 0;
    await reconciler.reconcile(`${NS}/production-cert`);
    expect(api.writes).toEqual(['status Certificate production-cert']);
    expect(status(api).phase).toBe('Error');
    expect(status(api).conditions[0]!.reason).toBe('RenewBeforeTooLong');

    caches.certificates.put({ ...certObj({ renewBefore: '60d' }), status: status(api) } as KubeObject as Certificate &
      KubeObject);
    api.clock.advance(5 * 365 * 86_400_000 - 59 * 86_400_000);
    const oldSerial = new X509Certificate(text(caches.secrets.get(NS, 'production-cert-tls'), 'cert.pem')).serialNumber;
    await reconciler.reconcile(`${NS}/production-cert`);
    const renewed = new X509Certificate(text(caches.secrets.get(NS, 'production-cert-tls'), 'cert.pem'));
    expect(renewed.serialNumber).not.toBe(oldSerial);
    expect(status(api).phase).toBe('Signed');
  });
});

describe('certname conflicts that slipped past admission', () => {
  const named = (name: string, created: string, spec: Partial<Certificate['spec']> = {}): Certificate & KubeObject => ({
    ...certObj(spec),
    metadata: { name, namespace: NS, uid: `uid-${name}`, generation: 1, creationTimestamp: created as never },
  });
  const statusOf = (api: ReturnType<typeof fakeApi>, name: string) =>
    api.cache('Certificate').get(NS, name)!.status as {
      phase: string;
      conditions: { reason: string; message: string }[];
    };

  it('the older Certificate keeps the certname; the later one is reported (naming the holder) and gets no Secret', async () => {
    const { api, caches, caReconciler, reconciler } = setup();
    caches.authorities.put(caObj);
    await caReconciler.reconcile(`${NS}/production-ca`);
    // Two created in the same second while the webhook was down: the name breaks the tie.
    caches.certificates.put(named('b-cert', '2026-12-02T10:00:00Z', { certname: 'Puppet' }));
    caches.certificates.put(named('a-cert', '2026-12-02T10:00:00Z'));
    caches.certificates.put(named('c-cert', '2026-12-02T11:00:00Z', { certname: 'web' }));
    await reconciler.reconcile(`${NS}/a-cert`);
    await reconciler.reconcile(`${NS}/b-cert`);
    await reconciler.reconcile(`${NS}/c-cert`);
    expect(statusOf(api, 'a-cert').phase).toBe('Signed');
    expect(statusOf(api, 'c-cert').phase).toBe('Signed');
    expect(statusOf(api, 'b-cert').phase).toBe('Error');
    expect(statusOf(api, 'b-cert').conditions[0]).toMatchObject({
      reason: 'CertnameConflict',
      message:
        'certname "Puppet" is already used by Certificate "a-cert" under CertificateAuthority "production-ca": set a unique spec.certname',
    });
    expect(caches.secrets.get(NS, 'b-cert-tls')).toBeUndefined();
    expect(api.events.find((e) => e.name === 'b-cert')).toMatchObject({ type: 'Warning', reason: 'CertnameConflict' });

    // The holder goes: the other one is issued on its next reconcile.
    const a = named('a-cert', '2026-12-02T10:00:00Z');
    caches.certificates.put({ ...a, metadata: { ...a.metadata, deletionTimestamp: '2026-12-02T12:00:00Z' as never } });
    await reconciler.reconcile(`${NS}/b-cert`);
    expect(statusOf(api, 'b-cert').phase).toBe('Signed');
    expect(new X509Certificate(text(caches.secrets.get(NS, 'b-cert-tls'), 'cert.pem')).subject).toBe('CN=Puppet');
  });

  it('without spec.certname (webhook bypassed) the certname is the Certificate name, not a shared `puppet`', async () => {
    const { caches, caReconciler, reconciler } = setup();
    caches.authorities.put(caObj);
    await caReconciler.reconcile(`${NS}/production-ca`);
    caches.certificates.put(named('web', '2026-12-02T10:00:00Z', { certname: undefined }));
    await reconciler.reconcile(`${NS}/web`);
    expect(new X509Certificate(text(caches.secrets.get(NS, 'web-tls'), 'cert.pem')).subject).toBe('CN=web');
  });
});
