// NodeClassifier, ReportProcessor and Database as a user meets them: kubectl explain, the Go short
// names and printer columns, every mistake at once (the Go CEL rules with the webhook's own), the CEL
// rules alone where the webhook is bypassed, and their status: NodeClassifier and ReportProcessor name
// what they miss and turn Active once rendered; Database names the Certificate it misses.
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { WEBHOOK_BYPASS_LABEL } from '../src/operator/webhook-configurations.js';
import { REPO_ROOT } from '../src/cluster/paths.js';
import { until } from '../src/e2e-support/poll.js';
import { join } from 'node:path';

let ns: string;
let bypassed: string;
beforeAll(() => {
  ns = createNamespace('e2e-go-kinds');
  bypassed = createNamespace('e2e-go-kinds-bypass', { labels: { [WEBHOOK_BYPASS_LABEL]: 'true' } });
});
afterAll(() => {
  deleteNamespace(ns);
  deleteNamespace(bypassed);
});

const object = (kind: string, name: string, namespace: string, spec: object) => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind,
  metadata: { name, namespace },
  spec,
});

const brokenClassifier = (namespace: string) =>
  object('NodeClassifier', 'broken', namespace, {
    url: 'ftp://enc',
    request: { method: 'GET', path: '/node/{certname}', body: 'facts' },
    response: { format: 'yaml' },
    timeoutSeconds: 0,
    auth: { mtls: true, bearer: { secretKeyRef: { name: 'token', key: 'token' } } },
  });

describe('kubectl explain and get', () => {
  it('documents the new kinds', () => {
    // kubectl wraps descriptions at its terminal width: compare with the white space folded.
    const explain = (field: string) => kubectlOk(['explain', field]).replace(/\s+/g, ' ');
    expect(explain('nodeclassifier.spec.auth')).toContain('at most one of mtls, token, bearer and basic');
    expect(explain('reportprocessor.spec.headers.valueFrom')).toContain('Mutually exclusive with value.');
    expect(explain('database.spec.postgres.sslMode')).toContain('Defaults to require.');
    expect(explain('server.spec.networkPolicy.additionalIngress')).toContain('appended after the default rule');
    expect(explain('config.spec.puppetserver.authorizationRules')).toContain('before the final deny-all rule');
  });

  it('applies the examples and lists them by the Go short names and columns', () => {
    kubectlOk(['apply', '-n', ns, '-f', join(REPO_ROOT, 'examples', 'node-classifier.yaml')]);
    kubectlOk(['apply', '-n', ns, '-f', join(REPO_ROOT, 'examples', 'report-processor.yaml')]);
    kubectlOk(['apply', '-n', ns, '-f', join(REPO_ROOT, 'examples', 'database.yaml')]);
    expect(kubectlOk(['get', 'nc', '-n', ns]).split('\n')[0]).toMatch(/^NAME\s+URL\s+METHOD\s+PHASE\s+AGE$/);
    expect(kubectlOk(['get', 'rp', '-n', ns]).split('\n')[0]).toMatch(/^NAME\s+URL\s+PROCESSOR\s+PHASE\s+AGE$/);
    expect(kubectlOk(['get', 'db', '-n', ns]).split('\n')[0]).toMatch(
      /^NAME\s+CERTIFICATEREF\s+REPLICAS\s+READY\s+PHASE\s+AGE$/,
    );
  });
});

const statusOf = (resource: string, name: string) => {
  const r = kubectl(['get', resource, name, '-n', ns, '-o', 'json']);
  return r.code === 0 ? JSON.parse(r.stdout).status : undefined;
};

describe('status', () => {
  it('Database: Error naming its missing Certificate (database.test.ts runs one for real)', async () => {
    const status = await until(
      'Database status',
      () =>
        statusOf('databases.openvox.voxpupuli.org', 'production-db')?.phase &&
        statusOf('databases.openvox.voxpupuli.org', 'production-db'),
    );
    expect(status).toMatchObject({
      phase: 'Error',
      observedGeneration: 1,
      url: `https://production-db-openvoxdb.${ns}.svc:8081`,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'CertificateNotFound',
          message: 'spec.certificateRef: Certificate production-db-cert not found',
        },
      ],
    });
  });

  it('NodeClassifier and ReportProcessor: Error naming the missing Secret, Active once it and the Config exist', async () => {
    const nc = 'nodeclassifiers.openvox.voxpupuli.org';
    const rp = 'reportprocessors.openvox.voxpupuli.org';
    const ready = (resource: string, name: string) => statusOf(resource, name)?.conditions?.[0];
    expect(
      await until(
        'NodeClassifier Error',
        () => statusOf(nc, 'production-enc')?.phase === 'Error' && ready(nc, 'production-enc'),
      ),
    ).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'SecretNotFound',
      message: 'spec.auth.bearer.secretKeyRef: Secret enc-api-token not found',
    });
    expect(
      await until(
        'ReportProcessor Error',
        () => statusOf(rp, 'production-reports')?.phase === 'Error' && ready(rp, 'production-reports'),
      ),
    ).toMatchObject({
      reason: 'SecretNotFound',
      message:
        'spec.headers[1].valueFrom.secretKeyRef: Secret reports-token not found; no report is sent to https://reports.example.com/v1/reports',
    });
    kubectlOk(['create', 'secret', 'generic', 'enc-api-token', '-n', ns, '--from-literal=token=t']);
    kubectlOk(['create', 'secret', 'generic', 'reports-token', '-n', ns, '--from-literal=header=Bearer r']);
    // The Config of the examples, naming the classifier; a Config change reconciles both at once.
    kubectlOk(['apply', '-n', ns, '-f', '-'], {
      ...object('Config', 'production', ns, {
        image: { repository: 'r', tag: '1' },
        nodeClassifierRef: 'production-enc',
      }),
    });
    for (const [resource, name, secret] of [
      [nc, 'production-enc', 'production-enc'],
      [rp, 'production-reports', 'production-report-processors'],
    ] as const) {
      const condition = await until(
        `${name} Active`,
        () => statusOf(resource, name)?.phase === 'Active' && ready(resource, name),
      );
      expect(condition).toMatchObject({ type: 'Ready', status: 'True', reason: 'Rendered' });
      expect(condition.message).toContain(`Rendered into Secret ${secret}`);
    }
    const cm = JSON.parse(kubectlOk(['get', 'configmap', 'production-config', '-n', ns, '-o', 'json']));
    expect(cm.data['puppet.conf']).toMatch(/^node_terminus = exec$/m);
    expect(cm.data['puppet.conf']).toMatch(/^reports = store,openvox_http$/m);
  });
});

describe('validation', () => {
  it('says every mistake at once: the Go CEL rules and the webhook rules, with field paths', () => {
    const result = kubectl(['apply', '-f', '-'], brokenClassifier(ns));
    expect(result.code).not.toBe(0);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('* '));
    expect(result.stderr).toContain('The NodeClassifier "broken" is invalid:');
    expect(lines).toEqual([
      expect.stringMatching(/^\* spec\.url: Invalid value: "ftp:\/\/enc": must be an http or https URL/),
      '* spec.timeoutSeconds: Invalid value: 0: must be greater than 0',
      '* spec.auth: Forbidden: at most one auth method may be set, got bearer, mtls',
      '* spec.request.body: Forbidden: body is only allowed with POST method: set spec.request.method to POST',
    ]);
    expect(kubectl(['get', 'nodeclassifier', 'broken', '-n', ns]).code).not.toBe(0);
  });

  it('where the webhook is bypassed, the CRD alone refuses the Go CEL rules with their messages', () => {
    const result = kubectl(['apply', '-f', '-'], brokenClassifier(bypassed));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('at most one auth method may be set');
    expect(result.stderr).toContain('body is only allowed with POST method');
    const header = kubectl(
      ['apply', '-f', '-'],
      object('ReportProcessor', 'r', bypassed, {
        configRef: 'production',
        url: 'https://r.example.com',
        headers: [{ name: 'A', value: 'v', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      }),
    );
    expect(header.stderr).toMatch(/spec\.headers\[0\]: Invalid value: value and valueFrom are mutually exclusive/);
    const route = kubectl(['apply', '-f', '-'], object('Pool', 'p', bypassed, { route: { enabled: true } }));
    expect(route.stderr).toContain('hostname is required when route is enabled');
    expect(route.stderr).toContain('gatewayRef.name is required when route is enabled');
  });

  it('Config: databaseRef with puppetdb.serverUrls and a rule puppetserver would refuse, at once', () => {
    const result = kubectl(
      ['apply', '-f', '-'],
      object('Config', 'c', ns, {
        image: { repository: 'r', tag: '1' },
        databaseRef: 'production-db',
        puppetdb: { serverUrls: ['https://puppetdb:8081'] },
        puppetserver: { authorizationRules: [{ name: 'x', matchRequest: { path: '/x' } }] },
      }),
    );
    expect(result.stderr.split('\n').filter((l) => l.startsWith('* '))).toEqual([
      '* spec.databaseRef: Forbidden: databaseRef and puppetdb.serverUrls are mutually exclusive: set only one of them',
      '* spec.puppetserver.authorizationRules[0]: Required value: set allow, deny or allowUnauthenticated: true (puppetserver refuses a rule without)',
    ]);
  });
});
