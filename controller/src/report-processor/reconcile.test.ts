import { API_VERSION, type Config, type ReportProcessor } from '@openvox/shared';
import type { KubeObject } from '../kube/client.js';
import { fakeApi } from '../kube/fake-api.test-helpers.js';
import { ReportProcessorReconciler } from './reconcile.js';

const rp = (spec: Partial<ReportProcessor['spec']> = {}): ReportProcessor & KubeObject => ({
  apiVersion: API_VERSION,
  kind: 'ReportProcessor',
  metadata: { name: 'reports', namespace: 'prod', uid: 'u', generation: 1 },
  spec: { configRef: 'production', url: 'http://r.example.com/in', ...spec },
});

function setup() {
  const api = fakeApi();
  const reconciler = new ReportProcessorReconciler({
    ...api,
    caches: { reportProcessors: api.cache('ReportProcessor'), configs: api.cache('Config') },
  });
  const status = () =>
    api.cache('ReportProcessor').get('prod', 'reports')!.status as {
      phase: string;
      conditions: { status: string; reason: string; message: string }[];
    };
  return { api, status, reconcile: () => reconciler.reconcile('prod/reports') };
}

describe('ReportProcessor status', () => {
  it('Pending ConfigNotFound until its Config exists, then Active Rendered', async () => {
    const t = setup();
    t.api.cache('ReportProcessor').put(rp());
    await t.reconcile();
    expect(t.status()).toMatchObject({ phase: 'Pending', conditions: [{ reason: 'ConfigNotFound' }] });
    t.api.cache('Config').put({
      apiVersion: API_VERSION,
      kind: 'Config',
      metadata: { name: 'production', namespace: 'prod' },
      spec: { image: { repository: 'r', tag: 't' } },
    } as Config & KubeObject);
    await t.reconcile();
    expect(t.status()).toMatchObject({
      phase: 'Active',
      conditions: [
        {
          status: 'True',
          reason: 'Rendered',
          message:
            'Rendered into Secret production-report-processors: the Servers of Config production send each report to http://r.example.com/in',
        },
      ],
    });
  });

  it('Error with the field when a header ConfigMap is missing', async () => {
    const t = setup();
    t.api
      .cache('ReportProcessor')
      .put(rp({ headers: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'hdr', key: 'k' } } }] }));
    await t.reconcile();
    expect(t.status()).toMatchObject({
      phase: 'Error',
      conditions: [
        {
          reason: 'ConfigMapNotFound',
          message:
            'spec.headers[0].valueFrom.configMapKeyRef: ConfigMap hdr not found; no report is sent to http://r.example.com/in',
        },
      ],
    });
  });
});
