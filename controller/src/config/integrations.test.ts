// The Config's NodeClassifier and ReportProcessors as the Config reconciler renders them: the two
// Secrets (script + settings with the credentials resolved), the puppet.conf lines, what happens when a
// referenced object or Secret is missing, and the Secrets' removal once nothing needs them.
import { API_VERSION, type Config, type NodeClassifier, type ReportProcessor } from '@openvox/shared';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { ENC_SCRIPT } from '../node-classifier/enc-script.js';
import { REPORT_PROCESSOR_SCRIPT } from '../report-processor/report-processor-script.js';
import { ConfigReconciler, VALUES_RECHECK_MS } from './reconcile.js';
import { reportsSetting } from './files/puppet-conf.js';

type Data = KubeObject & { data: Record<string, string> };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

const config = (spec: Partial<Config['spec']> = {}): Config & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'Config',
  metadata: { name: 'production', namespace: 'prod', uid: 'uid-config', generation: 1 },
  spec: { image: { repository: 'r', tag: 't' }, ...spec },
});
const classifier = (spec: Partial<NodeClassifier['spec']> = {}): NodeClassifier & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'NodeClassifier',
  metadata: { name: 'enc', namespace: 'prod', uid: 'uid-nc', generation: 1 },
  spec: { url: 'https://enc.example.com', ...spec },
});
const processor = (name: string, spec: Partial<ReportProcessor['spec']> = {}): ReportProcessor & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'ReportProcessor',
  metadata: { name, namespace: 'prod', uid: `uid-${name}`, generation: 1 },
  spec: { configRef: 'production', url: `https://${name}.example.com/reports`, ...spec },
});
const userSecret = (name: string, data: Record<string, string>) =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'prod' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  }) as KubeObject;

function setup() {
  const api = fakeApi();
  const reconciler = new ConfigReconciler({
    ...api,
    caches: {
      configs: api.cache('Config'),
      authorities: api.cache('CertificateAuthority'),
      configMaps: api.cache('ConfigMap'),
      nodeClassifiers: api.cache('NodeClassifier'),
      reportProcessors: api.cache('ReportProcessor'),
      secrets: api.cache('Secret'),
      databases: api.cache('Database'),
    },
  });
  const secret = (name: string) => api.cache('Secret').get('prod', name) as Data | undefined;
  const file = (name: string, key: string) => unb64(secret(name)!.data[key]!);
  const puppetConf = () =>
    (api.cache('ConfigMap').get('prod', 'production-config') as Data).data['puppet.conf']!.split('\n');
  return { api, reconciler, secret, file, puppetConf, reconcile: () => reconciler.reconcile('prod/production') };
}

describe('Config with a NodeClassifier', () => {
  it('renders {config}-enc with the script and the settings, bearer token resolved; puppet.conf runs it', async () => {
    const t = setup();
    t.api.cache('Config').put(config({ nodeClassifierRef: 'enc' }));
    t.api.cache('NodeClassifier').put(
      classifier({
        request: { method: 'POST', path: '/classify/{certname}', body: 'facts' },
        response: { format: 'json' },
        timeoutSeconds: 7,
        auth: { bearer: { secretKeyRef: { name: 'enc-token', key: 'token' } } },
        cache: { enabled: true },
      }),
    );
    t.api.cache('Secret').put(userSecret('enc-token', { token: 's3cret\n' }));
    const result = await t.reconcile();
    // Secrets before the ConfigMap: pods that roll for the new puppet.conf find them.
    expect(t.api.writes).toEqual([
      'apply Secret production-enc',
      'apply ConfigMap production-config',
      'status Config production',
    ]);
    expect(t.file('production-enc', 'openvox-enc')).toBe(ENC_SCRIPT);
    expect(JSON.parse(t.file('production-enc', 'enc.json'))).toEqual({
      name: 'enc',
      url: 'https://enc.example.com',
      method: 'POST',
      path: '/classify/{certname}',
      body: 'facts',
      responseFormat: 'json',
      timeoutSeconds: 7,
      headers: { Authorization: 'Bearer s3cret' },
      tls: {
        clientCertificate: false,
        certFile: '/etc/puppetlabs/puppet/ssl/certs/puppet.pem',
        keyFile: '/etc/puppetlabs/puppet/ssl/private_keys/puppet.pem',
        caFile: '/etc/puppetlabs/puppet/ssl/certs/ca.pem',
      },
      cache: { enabled: true, directory: '/var/cache/openvox-enc' },
      factsDir: '/run/puppetserver/server_data/facts',
    });
    const enc = t.secret('production-enc')!;
    expect(enc.metadata!.ownerReferences).toMatchObject([{ kind: 'Config', uid: 'uid-config', controller: true }]);
    expect(enc.metadata!.annotations).toMatchObject({
      'openvox.voxpupuli.org/enc-cache-directory': '/var/cache/openvox-enc',
    });
    expect(t.puppetConf()).toEqual(
      expect.arrayContaining(['node_terminus = exec', 'external_nodes = /etc/puppetlabs/puppet/enc/openvox-enc']),
    );
    // The token's Secret is not watched: rendered again after a while.
    expect(result).toEqual({ requeueAfterMs: VALUES_RECHECK_MS });
    t.api.writes.length = 0;
    await t.reconcile();
    expect(t.api.writes).toEqual([]);
  });

  it('token, basic and mtls: the headers and the client certificate the script uses', async () => {
    const t = setup();
    t.api.cache('Config').put(config({ nodeClassifierRef: 'enc' }));
    t.api.cache('Secret').put(userSecret('creds', { username: 'ops', password: 'pw', key: 'k1' }));
    const settings = async (auth: NodeClassifier['spec']['auth']) => {
      t.api.cache('NodeClassifier').put(classifier({ auth }));
      await t.reconcile();
      return JSON.parse(t.file('production-enc', 'enc.json'));
    };
    expect(
      (await settings({ token: { header: 'X-Token', secretKeyRef: { name: 'creds', key: 'key' } } })).headers,
    ).toEqual({ 'X-Token': 'k1' });
    expect((await settings({ basic: { secretRef: { name: 'creds' } } })).headers).toEqual({
      Authorization: `Basic ${b64('ops:pw')}`,
    });
    const mtls = await settings({ mtls: true });
    expect(mtls).toMatchObject({ headers: {}, tls: { clientCertificate: true } });
  });

  it('fails closed: a missing NodeClassifier or token Secret makes the script refuse with the reason', async () => {
    const t = setup();
    t.api.cache('Config').put(config({ nodeClassifierRef: 'enc' }));
    await t.reconcile();
    expect(JSON.parse(t.file('production-enc', 'enc.json'))).toEqual({
      name: 'enc',
      error: 'NodeClassifier enc not found in namespace prod',
    });
    expect(t.puppetConf()).toContain('node_terminus = exec');
    const status = t.api.cache('Config').get('prod', 'production')!.status as {
      phase: string;
      conditions: { message: string }[];
    };
    expect(status.phase).toBe('Running');
    expect(status.conditions[0]!.message).toMatch(
      /NodeClassifier enc not found: its Servers refuse every node until it exists/,
    );

    t.api
      .cache('NodeClassifier')
      .put(classifier({ auth: { bearer: { secretKeyRef: { name: 'enc-token', key: 'token' } } } }));
    await t.reconcile();
    expect(JSON.parse(t.file('production-enc', 'enc.json'))).toEqual({
      name: 'enc',
      error: 'spec.auth.bearer.secretKeyRef: Secret enc-token not found',
    });
  });

  it('deletes {config}-enc and the puppet.conf lines once the Config stops naming a classifier', async () => {
    const t = setup();
    t.api.cache('Config').put(config({ nodeClassifierRef: 'enc' }));
    t.api.cache('NodeClassifier').put(classifier());
    await t.reconcile();
    t.api.cache('Config').put(config());
    t.api.writes.length = 0;
    await t.reconcile();
    expect(t.api.writes).toEqual([
      'delete Secret production-enc',
      'apply ConfigMap production-config',
      'status Config production',
    ]);
    expect(t.puppetConf().some((l) => l.startsWith('node_terminus'))).toBe(false);
  });

  it('does not take over a same-named Secret someone else made', async () => {
    const t = setup();
    t.api.cache('Config').put(config({ nodeClassifierRef: 'enc' }));
    t.api.cache('NodeClassifier').put(classifier());
    t.api.cache('Secret').put(userSecret('production-enc', { x: 'y' }));
    await t.reconcile();
    expect(t.api.writes).not.toContain('apply Secret production-enc');
    const status = t.api.cache('Config').get('prod', 'production')!.status as {
      phase: string;
      conditions: { reason: string }[];
    };
    expect(status).toMatchObject({ phase: 'Error', conditions: [{ reason: 'SecretConflict' }] });
  });
});

describe('Config with ReportProcessors', () => {
  it('renders {config}-report-processors with every endpoint of the Config, headers resolved; reports gains openvox_http', async () => {
    const t = setup();
    t.api.cache('Config').put(config({ puppet: { reports: 'store' } }));
    t.api.cache('ConfigMap').put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'report-env', namespace: 'prod' },
      data: { env: 'production' },
    } as KubeObject);
    t.api.cache('Secret').put(userSecret('reports-token', { header: 'Token abc\n' }));
    t.api.cache('ReportProcessor').put(
      processor('generic', {
        timeoutSeconds: 5,
        auth: { bearer: { secretKeyRef: { name: 'reports-token', key: 'header' } } },
        headers: [
          { name: 'X-Environment', valueFrom: { configMapKeyRef: { name: 'report-env', key: 'env' } } },
          { name: 'X-Team', value: 'ops' },
        ],
      }),
    );
    t.api.cache('ReportProcessor').put(processor('archive', { processor: 'puppetdb', auth: { mtls: true } }));
    t.api.cache('ReportProcessor').put(processor('elsewhere', { configRef: 'staging' }));
    await t.reconcile();
    expect(t.api.writes).toEqual([
      'apply Secret production-report-processors',
      'apply ConfigMap production-config',
      'status Config production',
    ]);
    expect(t.file('production-report-processors', 'openvox_http.rb')).toBe(REPORT_PROCESSOR_SCRIPT);
    const { endpoints } = JSON.parse(t.file('production-report-processors', 'openvox_http.json'));
    expect(endpoints).toEqual([
      expect.objectContaining({
        name: 'archive',
        processor: 'puppetdb',
        url: 'https://archive.example.com/reports',
        timeoutSeconds: 30,
        headers: {},
        tls: expect.objectContaining({ clientCertificate: true }),
      }),
      expect.objectContaining({
        name: 'generic',
        processor: '',
        timeoutSeconds: 5,
        headers: { Authorization: 'Bearer Token abc', 'X-Environment': 'production', 'X-Team': 'ops' },
      }),
    ]);
    expect(t.puppetConf()).toContain('reports = store,openvox_http');
  });

  it('leaves out an endpoint whose Secret is missing; removes the Secret when no processor is left', async () => {
    const t = setup();
    t.api.cache('Config').put(config());
    t.api
      .cache('ReportProcessor')
      .put(processor('broken', { headers: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }));
    t.api.cache('ReportProcessor').put(processor('fine'));
    await t.reconcile();
    const names = JSON.parse(t.file('production-report-processors', 'openvox_http.json')).endpoints.map(
      (e: { name: string }) => e.name,
    );
    expect(names).toEqual(['fine']);
    t.api.cache('ReportProcessor').items.clear();
    t.api.writes.length = 0;
    await t.reconcile();
    expect(t.api.writes).toEqual(['delete Secret production-report-processors', 'apply ConfigMap production-config']);
    expect(t.puppetConf()).toContain('reports = store');
  });

  it('reports: added once, alone when the list is empty or none', () => {
    expect(reportsSetting('store', true)).toBe('store,openvox_http');
    expect(reportsSetting('puppetdb, store', true)).toBe('puppetdb,store,openvox_http');
    expect(reportsSetting('none', true)).toBe('openvox_http');
    expect(reportsSetting('', true)).toBe('openvox_http');
    expect(reportsSetting('store,openvox_http', true)).toBe('store,openvox_http');
    expect(reportsSetting('store', false)).toBe('store');
  });
});
