// The kinds and fields of the Go operator's API: its rules (CEL and webhook) said with every other cause.
import { kindReview } from './review.test-helpers.js';
import { kindValidators } from './validate.js';

const handlers = kindValidators({ synced: () => true } as never);

const review = kindReview;

const call = (kind: string, spec: unknown, stage = 'validate') =>
  handlers.get(`/${stage}-openvox-voxpupuli-org-v1alpha1-${kind.toLowerCase()}`)!(review(kind, spec));
const causes = (kind: string, spec: unknown) =>
  (call(kind, spec).status?.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
const fields = (kind: string, spec: unknown) => (call(kind, spec).status?.details?.causes ?? []).map((c) => c.field);

const nc = {
  url: 'https://enc.example.com',
  request: { method: 'GET', path: '/node/{certname}' },
  response: { format: 'yaml' },
};
const rp = { configRef: 'production', url: 'https://reports.example.com/r' };
const db = {
  certificateRef: 'db-cert',
  image: { repository: 'r', tag: '1' },
  postgres: { host: 'pg', credentialsSecretRef: 'pg-credentials' },
};

describe('NodeClassifier', () => {
  it('allows the Go samples shape', () => {
    expect(call('NodeClassifier', { ...nc, auth: { mtls: true }, cache: { enabled: true } }).allowed).toBe(true);
  });

  it('two auth methods, a body with GET, a bad method, URL and timeout: all at once, with field paths', () => {
    const response = call('NodeClassifier', {
      url: 'ftp://enc',
      timeoutSeconds: 0,
      request: { method: 'PUT', path: 'node', body: 'facts' },
      response: { format: 'yaml' },
      auth: { mtls: true, bearer: { secretKeyRef: { name: 'Bad_Name', key: 'token' } } },
    });
    expect(response.status).toMatchObject({ code: 422, reason: 'Invalid', details: { kind: 'NodeClassifier' } });
    expect(
      fields('NodeClassifier', {
        url: 'ftp://enc',
        timeoutSeconds: 0,
        request: { method: 'PUT', path: 'node', body: 'facts' },
        response: { format: 'yaml' },
        auth: { mtls: true, bearer: { secretKeyRef: { name: 'Bad_Name', key: 'token' } } },
      }),
    ).toEqual([
      'spec.url',
      'spec.timeoutSeconds',
      'spec.auth',
      'spec.auth.bearer.secretKeyRef.name',
      'spec.request.method',
      'spec.request.body',
      'spec.request.path',
    ]);
  });

  it('says the Go CEL messages', () => {
    expect(causes('NodeClassifier', { ...nc, request: { method: 'GET', path: '/n', body: 'certname' } })).toEqual([
      'spec.request.body: Forbidden: body is only allowed with POST method: set spec.request.method to POST',
    ]);
    expect(
      causes('NodeClassifier', {
        ...nc,
        auth: { token: { header: 'X', secretKeyRef: { name: 't', key: 'k' } }, basic: { secretRef: { name: 'b' } } },
      }),
    ).toEqual(['spec.auth: Forbidden: at most one auth method may be set, got basic, token']);
    expect(call('NodeClassifier', { ...nc, request: { method: 'POST', path: '/n', body: 'facts' } }).allowed).toBe(
      true,
    );
    // mtls: false is no method.
    expect(
      call('NodeClassifier', { ...nc, auth: { mtls: false, bearer: { secretKeyRef: { name: 't', key: 'k' } } } })
        .allowed,
    ).toBe(true);
  });

  it('is judged before the CEL stage too (mutating path), with the same answer', () => {
    const spec = { ...nc, url: 'nope', auth: { mtls: true, basic: { secretRef: { name: 'b' } } } };
    expect(call('NodeClassifier', spec, 'mutate')).toEqual(call('NodeClassifier', spec));
    expect(call('NodeClassifier', nc, 'mutate')).toEqual({ uid: 'u-1', allowed: true });
  });
});

describe('ReportProcessor', () => {
  it('allows a header from a Secret and one with a value', () => {
    expect(
      call('ReportProcessor', {
        ...rp,
        headers: [
          { name: 'Authorization', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          { name: 'X-Env', value: 'prod' },
        ],
      }).allowed,
    ).toBe(true);
  });

  it('value with valueFrom, two sources, a duplicate and a bad header name, a bad configRef', () => {
    expect(
      causes('ReportProcessor', {
        ...rp,
        configRef: 'Production',
        headers: [
          { name: 'A', value: 'v', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          { name: 'a', valueFrom: { secretKeyRef: { name: 's', key: 'k' }, configMapKeyRef: { name: 'c', key: 'k' } } },
          { name: 'bad header', value: 'v' },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^spec.configRef: Invalid value: "Production": must be a DNS-1123 subdomain/),
      'spec.headers[0]: Forbidden: value and valueFrom are mutually exclusive',
      'spec.headers[1].valueFrom: Forbidden: set exactly one of secretKeyRef and configMapKeyRef',
      'spec.headers[1].name: Duplicate value: "a": header names are case-insensitive; set each once',
      expect.stringMatching(/^spec.headers\[2\].name: Invalid value: "bad header": must be an HTTP header name/),
    ]);
  });

  it('refuses a processor outside the enum through the schema', () => {
    expect(fields('ReportProcessor', { ...rp, processor: 'splunk' })).toEqual(['spec.processor']);
  });
});

describe('Database', () => {
  it('allows the Go sample shape', () => {
    expect(call('Database', { ...db, postgres: { ...db.postgres, sslMode: 'require', port: 5432 } }).allowed).toBe(
      true,
    );
  });

  it('empty references, bad ports, a bad sslMode and both PDB budgets: all at once', () => {
    expect(
      fields('Database', {
        ...db,
        certificateRef: '',
        postgres: { host: '', credentialsSecretRef: '', port: 0, sslMode: 'sometimes' },
        service: { port: 70000 },
        pdb: { enabled: true, minAvailable: 1, maxUnavailable: 1 },
      }),
    ).toEqual([
      'spec.postgres.sslMode',
      'spec.certificateRef',
      'spec.postgres.credentialsSecretRef',
      'spec.postgres.port',
      'spec.service.port',
      'spec.postgres.host',
      'spec.pdb',
    ]);
  });

  it('misses required fields through the schema', () => {
    expect(fields('Database', {}).sort()).toEqual(['spec.certificateRef', 'spec.image', 'spec.postgres']);
  });
});

describe('Config fields of the Go API', () => {
  const config = { image: { repository: 'r', tag: '1' } };
  it('databaseRef excludes puppetdb.serverUrls', () => {
    expect(causes('Config', { ...config, databaseRef: 'db', puppetdb: { serverUrls: ['https://pdb:8081'] } })).toEqual([
      'spec.databaseRef: Forbidden: databaseRef and puppetdb.serverUrls are mutually exclusive: set only one of them',
    ]);
  });

  it('authorization rules puppetserver would refuse, a Graphite without host, a zero timeout', () => {
    expect(
      fields('Config', {
        ...config,
        puppetserver: {
          httpClient: { connectTimeoutMs: 0, idleTimeoutMs: 1000 },
          authorizationRules: [
            { name: 'a', matchRequest: { path: 'no-slash' }, allow: '*' },
            { name: 'a', matchRequest: { path: '(', type: 'regex', method: ['get', 'patch'] }, deny: '*' },
            { name: 'c', matchRequest: { path: '/x' } },
            { name: 'd', matchRequest: { path: '/x' }, allow: '*', allowUnauthenticated: true },
          ],
        },
        metrics: { enabled: true, graphite: { enabled: true, port: 0, updateIntervalSeconds: 0 } },
      }),
    ).toEqual([
      'spec.puppetserver.authorizationRules[0].matchRequest.path',
      'spec.puppetserver.authorizationRules[1].name',
      'spec.puppetserver.authorizationRules[1].matchRequest.path',
      'spec.puppetserver.authorizationRules[1].matchRequest.method[1]',
      'spec.puppetserver.authorizationRules[2]',
      'spec.puppetserver.authorizationRules[3]',
      'spec.metrics.graphite.port',
      'spec.metrics.graphite.host',
      'spec.metrics.graphite.updateIntervalSeconds',
      'spec.puppetserver.httpClient.connectTimeoutMs',
    ]);
  });

  it('a rule without name or matchRequest is a schema cause', () => {
    expect(fields('Config', { ...config, puppetserver: { authorizationRules: [{ allow: '*' }] } }).sort()).toEqual([
      'spec.puppetserver.authorizationRules[0].matchRequest',
      'spec.puppetserver.authorizationRules[0].name',
    ]);
  });
});

describe('Pool.route and the older Go fields', () => {
  it('an enabled route needs hostname and gatewayRef.name (the Go CEL messages)', () => {
    expect(causes('Pool', { route: { enabled: true } })).toEqual([
      'spec.route.hostname: Required value: hostname is required when route is enabled',
      'spec.route.gatewayRef.name: Required value: gatewayRef.name is required when route is enabled',
    ]);
    expect(call('Pool', { route: { enabled: false } }).allowed).toBe(true);
    expect(
      call('Pool', { route: { enabled: true, hostname: 'puppet.example.com', gatewayRef: { name: 'gw' } } }).allowed,
    ).toBe(true);
  });

  it('accepts configRef and selector of older releases with a warning that they are ignored', () => {
    const response = call('Pool', { configRef: 'production', selector: { 'openvox.voxpupuli.org/role': 'server' } });
    expect(response.allowed).toBe(true);
    expect(response.warnings).toEqual([
      expect.stringMatching(/^spec.configRef is ignored/),
      expect.stringMatching(/^spec.selector is ignored/),
    ]);
  });
});

describe('CertificateAuthority fields of the Go API', () => {
  it('intermediateCA needs its Secret and excludes external; resources are quantities', () => {
    expect(
      fields('CertificateAuthority', {
        intermediateCA: { enabled: true },
        external: { url: 'https://ca.example.com' },
        resources: { limits: { memory: 'lots' } },
      }),
    ).toEqual(['spec.intermediateCA.secretName', 'spec.intermediateCA', 'spec.resources.limits.memory']);
  });
});
