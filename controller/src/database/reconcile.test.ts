import { API_VERSION, type Database } from '@openvox/shared';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { CREDENTIALS_RECHECK_MS, CREDENTIALS_RETRY_MS, DatabaseReconciler } from './reconcile.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const database = (spec: Partial<Database['spec']> = {}): Database & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'Database',
  metadata: { name: 'production-db', namespace: 'prod', uid: 'db-uid', generation: 3 },
  spec: {
    certificateRef: 'db-cert',
    image: { repository: 'r/openvoxdb', tag: '1' },
    postgres: { host: 'postgresql', credentialsSecretRef: 'pg' },
    ...spec,
  },
});
const certificate = (phase = 'Signed', dnsAltNames = ['production-db-openvoxdb.prod.svc']) => ({
  apiVersion: API_VERSION,
  kind: 'Certificate',
  metadata: { name: 'db-cert', namespace: 'prod', uid: 'cert-uid' },
  spec: { authorityRef: 'ca', certname: 'openvoxdb', dnsAltNames },
  status: { phase, secretName: 'db-cert-tls' },
});
const tlsSecret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'db-cert-tls',
    namespace: 'prod',
    ownerReferences: [
      { apiVersion: API_VERSION, kind: 'Certificate', name: 'db-cert', uid: 'cert-uid', controller: true },
    ],
  },
  data: { 'cert.pem': b64('cert'), 'key.pem': b64('key'), 'ca_crt.pem': b64('ca') },
};
const userSecret = (data: Record<string, string> = { username: 'openvoxdb', password: 's3cret\n' }) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'pg', namespace: 'prod' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
});

function setup(db = database()) {
  const api = fakeApi();
  const reconciler = new DatabaseReconciler({
    ...api,
    caches: {
      databases: api.cache('Database'),
      certificates: api.cache('Certificate'),
      secrets: api.cache('Secret'),
      configMaps: api.cache('ConfigMap'),
      deployments: api.cache('Deployment'),
      services: api.cache('Service'),
      pdbs: api.cache('PodDisruptionBudget'),
      networkPolicies: api.cache('NetworkPolicy'),
    },
  });
  api.cache('Database').put(db);
  const run = () => reconciler.reconcile('prod/production-db');
  const status = () => api.cache('Database').get('prod', 'production-db')!.status as Database['status'] & object;
  const ready = () => status().conditions!.find((c) => c.type === 'Ready')!;
  return { api, run, status, ready };
}

describe('DatabaseReconciler', () => {
  it('missing credentials Secret: Error CredentialsSecretNotFound, one Warning, a quick retry, nothing rendered', async () => {
    const t = setup();
    t.api.cache('Certificate').put(certificate());
    t.api.cache('Secret').put(tlsSecret);
    expect(await t.run()).toEqual({ requeueAfterMs: CREDENTIALS_RETRY_MS });
    expect(t.api.writes).toEqual(['status Database production-db']);
    expect(t.status()).toMatchObject({
      phase: 'Error',
      observedGeneration: 3,
      url: 'https://production-db-openvoxdb.prod.svc:8081',
    });
    expect(t.ready()).toMatchObject({
      status: 'False',
      reason: 'CredentialsSecretNotFound',
      message: 'spec.postgres.credentialsSecretRef: Secret pg not found; it needs the keys username and password',
    });
    expect(t.api.events.map((e) => `${e.type} ${e.reason}`)).toEqual(['Warning CredentialsSecretNotFound']);
    // The retry before the Secret exists writes and reports nothing new.
    t.api.writes.length = 0;
    await t.run();
    expect(t.api.writes).toEqual([]);
    expect(t.api.events).toHaveLength(1);

    // The Secret appears: the next retry renders everything.
    t.api.cache('Secret').put(userSecret());
    expect(await t.run()).toEqual({ requeueAfterMs: CREDENTIALS_RECHECK_MS });
    expect(t.api.writes).toEqual([
      'apply ConfigMap production-db-openvoxdb-config',
      'apply Secret production-db-openvoxdb-database',
      'apply Deployment production-db-openvoxdb',
      'apply Service production-db-openvoxdb',
      'status Database production-db',
    ]);
    expect(t.status()).toMatchObject({ phase: 'Pending', ready: 0, desired: 1 });
    const ini = t.api.cache('Secret').get('prod', 'production-db-openvoxdb-database')!.data as Record<string, string>;
    // The trailing newline of a Secret written from a file is no part of the password.
    expect(Buffer.from(ini['database.ini']!, 'base64').toString()).toContain('\npassword = s3cret\n');
  });

  it('Running once a pod is ready; a resync of the unchanged Database writes nothing', async () => {
    const t = setup();
    t.api.cache('Certificate').put(certificate());
    t.api.cache('Secret').put(tlsSecret);
    t.api.cache('Secret').put(userSecret());
    await t.run();
    const dep = t.api.cache('Deployment').get('prod', 'production-db-openvoxdb')!;
    t.api.cache('Deployment').put({ ...dep, status: { readyReplicas: 1 } } as KubeObject);
    t.api.writes.length = 0;
    await t.run();
    expect(t.api.writes).toEqual(['status Database production-db']);
    expect(t.status()).toMatchObject({ phase: 'Running', ready: 1, desired: 1 });
    expect(t.status().conditions!.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'True', 'PodsReady'],
      ['CertificateNamesHost', 'True', 'HostNamed'],
    ]);
    expect(t.api.events.map((e) => `${e.type} ${e.reason}`)).toEqual(['Normal PodsNotReady', 'Normal PodsReady']);
    t.api.writes.length = 0;
    t.api.clock.advance(CREDENTIALS_RECHECK_MS);
    await t.run();
    await t.run();
    expect(t.api.writes).toEqual([]);
  });

  it('a changed password rolls the pods (the Secret and the pod template change, nothing else)', async () => {
    const t = setup();
    t.api.cache('Certificate').put(certificate());
    t.api.cache('Secret').put(tlsSecret);
    t.api.cache('Secret').put(userSecret());
    await t.run();
    t.api.writes.length = 0;
    t.api.cache('Secret').put(userSecret({ username: 'openvoxdb', password: 'rotated' }));
    await t.run();
    expect(t.api.writes).toEqual([
      'apply Secret production-db-openvoxdb-database',
      'apply Deployment production-db-openvoxdb',
    ]);
  });

  it('waits for its Certificate: Error when missing, WaitingForCert while unsigned', async () => {
    const t = setup();
    await t.run();
    expect(t.status().phase).toBe('Error');
    expect(t.ready()).toMatchObject({
      reason: 'CertificateNotFound',
      message: 'spec.certificateRef: Certificate db-cert not found',
    });
    t.api.cache('Certificate').put(certificate('Pending'));
    await t.run();
    expect(t.status().phase).toBe('WaitingForCert');
    expect(t.ready()).toMatchObject({ reason: 'WaitingForCertificate' });
    expect(t.api.cache('Deployment').list()).toEqual([]);
  });

  it('a Secret without password: Error CredentialsKeyMissing naming the key', async () => {
    const t = setup();
    t.api.cache('Certificate').put(certificate());
    t.api.cache('Secret').put(tlsSecret);
    t.api.cache('Secret').put(userSecret({ username: 'u' }));
    await t.run();
    expect(t.ready()).toMatchObject({
      reason: 'CredentialsKeyMissing',
      message: 'spec.postgres.credentialsSecretRef: Secret pg has no key password',
    });
  });

  it('never takes over a same-named Service of someone else: Error ResourceConflict', async () => {
    const t = setup();
    t.api.cache('Certificate').put(certificate());
    t.api.cache('Secret').put(tlsSecret);
    t.api.cache('Secret').put(userSecret());
    t.api
      .cache('Service')
      .put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'production-db-openvoxdb', namespace: 'prod' } });
    await t.run();
    expect(t.api.writes).not.toContain('apply Service production-db-openvoxdb');
    expect(t.ready()).toMatchObject({
      reason: 'ResourceConflict',
      message: 'Service production-db-openvoxdb already exist(s) and is not controlled by this Database',
    });
  });

  it('deletes its PDB and NetworkPolicy when they are switched off', async () => {
    const t = setup(database({ pdb: { enabled: true }, networkPolicy: { enabled: true } }));
    t.api.cache('Certificate').put(certificate());
    t.api.cache('Secret').put(tlsSecret);
    t.api.cache('Secret').put(userSecret());
    await t.run();
    expect(t.api.writes).toEqual(
      expect.arrayContaining([
        'apply PodDisruptionBudget production-db-openvoxdb',
        'apply NetworkPolicy production-db-openvoxdb-netpol',
      ]),
    );
    t.api.cache('Database').put(database());
    t.api.writes.length = 0;
    await t.run();
    expect(t.api.writes).toEqual([
      'delete PodDisruptionBudget production-db-openvoxdb',
      'delete NetworkPolicy production-db-openvoxdb-netpol',
      'status Database production-db',
    ]);
  });

  it('says when its Certificate does not name the host the Servers connect to', async () => {
    const t = setup(database({ service: { port: 443 } }));
    t.api.cache('Certificate').put(certificate('Signed', ['openvoxdb.example.com']));
    t.api.cache('Secret').put(tlsSecret);
    t.api.cache('Secret').put(userSecret());
    await t.run();
    expect(t.status().url).toBe('https://production-db-openvoxdb.prod.svc:443');
    expect(t.status().conditions!.find((c) => c.type === 'CertificateNamesHost')).toMatchObject({
      status: 'False',
      reason: 'HostNotNamed',
    });
  });
});
