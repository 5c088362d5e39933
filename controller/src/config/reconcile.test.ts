import { API_VERSION, type CertificateAuthority, type Config } from '@openvox/shared';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { ConfigReconciler } from './reconcile.js';

const config = (spec: Partial<Config['spec']> = {}): Config & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'Config',
  metadata: { name: 'production', namespace: 'prod', uid: 'uid-config', generation: 4 },
  spec: { image: { repository: 'r', tag: 't' }, authorityRef: 'production-ca', ...spec },
});

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
  return { api, reconciler };
}
const status = (api: ReturnType<typeof fakeApi>) =>
  api.cache('Config').get('prod', 'production')!.status as {
    phase: string;
    configMapName: string;
    conditions: { reason: string; message: string; status: string }[];
  };

describe('ConfigReconciler', () => {
  it('databaseRef: the Database Service URL in puppetdb.conf, its port once the Database exists', async () => {
    const { api, reconciler } = setup();
    api.cache('Config').put(config({ databaseRef: 'production-db' }));
    await reconciler.reconcile('prod/production');
    const puppetdbConf = () =>
      (api.cache('ConfigMap').get('prod', 'production-config') as KubeObject & { data: Record<string, string> }).data[
        'puppetdb.conf'
      ];
    // Applied before its Database (GitOps order): the default URL, and the status says so.
    expect(puppetdbConf()).toContain('server_urls = https://production-db-openvoxdb.prod.svc:8081\n');
    expect(status(api)).toMatchObject({ phase: 'Running' });
    expect(status(api).conditions[0]!.message).toContain(
      'Database production-db not found yet: puppetdb.conf names its default URL',
    );
    api.cache('Database').put({
      apiVersion: API_VERSION,
      kind: 'Database',
      metadata: { name: 'production-db', namespace: 'prod' },
      spec: { service: { port: 443 } },
    });
    await reconciler.reconcile('prod/production');
    expect(puppetdbConf()).toContain('server_urls = https://production-db-openvoxdb.prod.svc:443\n');
    expect(status(api).conditions[0]!.message).not.toContain('production-db');
  });

  it('renders the ConfigMap, reports Running, and a resync writes nothing', async () => {
    const { api, reconciler } = setup();
    api.cache('Config').put(config());
    await reconciler.reconcile('prod/production');
    expect(api.writes).toEqual(['apply ConfigMap production-config', 'status Config production']);
    const cm = api.cache('ConfigMap').get('prod', 'production-config') as KubeObject & { data: Record<string, string> };
    expect(Object.keys(cm.data)).toContain('webserver.conf');
    expect(status(api)).toMatchObject({ phase: 'Running', configMapName: 'production-config' });
    expect(status(api).conditions[0]!.message).toMatch(/CertificateAuthority production-ca not found yet/);
    api.writes.length = 0;
    await reconciler.reconcile('prod/production');
    expect(api.writes).toEqual([]);
    expect(api.events.map((e) => e.reason)).toEqual(['ConfigMapRendered']);
  });

  it('re-renders when the CA appears (ca_ttl in puppet.conf)', async () => {
    const { api, reconciler } = setup();
    api.cache('Config').put(config());
    await reconciler.reconcile('prod/production');
    api.cache<CertificateAuthority & KubeObject>('CertificateAuthority').put({
      apiVersion: API_VERSION,
      kind: 'CertificateAuthority',
      metadata: { name: 'production-ca', namespace: 'prod' },
      spec: { ttl: '1y' },
    });
    api.writes.length = 0;
    await reconciler.reconcile('prod/production');
    expect(api.writes).toEqual(['apply ConfigMap production-config', 'status Config production']);
    const cm = api.cache('ConfigMap').get('prod', 'production-config') as KubeObject & { data: Record<string, string> };
    expect(cm.data['puppet.conf']).toContain('ca_ttl = 31536000');
  });

  it('reports Error InvalidConfig with the field, once, and writes no ConfigMap', async () => {
    const { api, reconciler } = setup();
    api.cache('Config').put(config({ logging: { loggers: { 'puppetlabs.x': 'LOUD' } } }));
    await reconciler.reconcile('prod/production');
    await reconciler.reconcile('prod/production');
    expect(api.writes).toEqual(['status Config production']);
    expect(status(api).phase).toBe('Error');
    expect(status(api).conditions[0]!.message).toMatch(/logging.loggers\["puppetlabs.x"\]: unknown log level "LOUD"/);
    expect(api.events.map((e) => `${e.type} ${e.reason}`)).toEqual(['Warning InvalidConfig']);
  });

  it('does not take over a ConfigMap it does not control', async () => {
    const { api, reconciler } = setup();
    api.cache('Config').put(config());
    api
      .cache('ConfigMap')
      .put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'production-config', namespace: 'prod' } });
    await reconciler.reconcile('prod/production');
    expect(api.writes).toEqual(['status Config production']);
    expect(status(api).conditions[0]!.reason).toBe('ConfigMapConflict');
  });
});
