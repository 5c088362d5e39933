import { API_VERSION, type Database } from '@openvox/shared';
import { renderDatabase, DatabaseRenderError } from './render/index.js';
import { jdbcSubname, renderAuthConf, renderConfigIni, renderJettyIni } from './render/files.js';

const db = (spec: Partial<Database['spec']> = {}): Database => ({
  apiVersion: API_VERSION,
  kind: 'Database',
  metadata: { name: 'production-db', namespace: 'prod', uid: 'db-uid', generation: 1 },
  spec: {
    certificateRef: 'db-cert',
    image: { repository: 'ghcr.io/openvoxproject/openvoxdb', tag: '8.9.0' },
    postgres: { host: 'postgres.example.com', credentialsSecretRef: 'pg' },
    ...spec,
  },
});
const credentials = { username: 'openvoxdb', password: 'p@ss;w=rd' };
const tlsSecret = { name: 'db-cert-tls', data: { 'cert.pem': 'Y2VydA==' } };
const render = (d = db()) => renderDatabase({ db: d, credentials, tlsSecret });
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

describe('renderDatabase', () => {
  it('names every object {db}-openvoxdb*, owned by the Database, with labels apart from a Server', () => {
    const r = render();
    expect([r.deployment, r.service, r.configMap, r.secret].map((o) => o.metadata?.name)).toEqual([
      'production-db-openvoxdb',
      'production-db-openvoxdb',
      'production-db-openvoxdb-config',
      'production-db-openvoxdb-database',
    ]);
    for (const o of [r.deployment, r.service, r.configMap, r.secret]) {
      expect(o.metadata?.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Database', name: 'production-db', uid: 'db-uid', controller: true }),
      ]);
      expect(o.metadata?.labels).toEqual({
        'app.kubernetes.io/name': 'openvoxdb',
        'app.kubernetes.io/instance': 'production-db',
        'app.kubernetes.io/managed-by': 'openvox-operator',
        'openvox.voxpupuli.org/database': 'production-db',
      });
    }
    expect(r.deployment.spec?.selector).toEqual({ matchLabels: { 'openvox.voxpupuli.org/database': 'production-db' } });
    expect(r.pdb).toBeUndefined();
    expect(r.networkPolicy).toBeUndefined();
  });

  it('writes database.ini from spec.postgres and the credentials, into the Secret only', () => {
    const r = render(
      db({ postgres: { host: 'pg', port: 6432, database: 'pdb', credentialsSecretRef: 'pg', sslMode: 'disable' } }),
    );
    expect(unb64(r.secret.data!['database.ini']!)).toBe(
      '[database]\nsubname = //pg:6432/pdb?sslmode=disable\nusername = openvoxdb\npassword = p@ss;w=rd\n',
    );
    expect(JSON.stringify(r.configMap)).not.toContain('p@ss');
    expect(JSON.stringify(r.deployment)).not.toContain('p@ss');
    expect(jdbcSubname(db())).toBe('//postgres.example.com:5432/openvoxdb?sslmode=require');
  });

  it('refuses a password or host that would break the files, naming the field but never the value', () => {
    expect(() => renderDatabase({ db: db(), credentials: { username: 'u', password: 'a\nb' }, tlsSecret })).toThrow(
      new DatabaseRenderError(
        'Secret pg',
        '[database] password: value must be a single line without control characters',
      ),
    );
    expect(() => render(db({ postgres: { host: 'pg/evil?x=', credentialsSecretRef: 'pg' } }))).toThrow(
      /spec\.postgres\.host/,
    );
  });

  it('serves HTTPS with client-auth need from the mounted certificate Secret; cleartext only on 127.0.0.1', () => {
    expect(renderJettyIni()).toBe(
      [
        '[jetty]',
        'host = 127.0.0.1',
        'port = 8080',
        'ssl-host = 0.0.0.0',
        'ssl-port = 8081',
        'ssl-cert = /etc/puppetlabs/puppetdb/tls/cert.pem',
        'ssl-key = /etc/puppetlabs/puppetdb/tls/key.pem',
        'ssl-ca-cert = /etc/puppetlabs/puppetdb/tls/ca_crt.pem',
        'client-auth = need',
        '',
      ].join('\n'),
    );
    expect(renderConfigIni()).toContain('vardir = /opt/puppetlabs/server/data/puppetdb\n');
    expect(renderAuthConf()).toMatch(/path: "\/status\/v1\/simple"[\s\S]*deny: "\*"/);
  });

  it('mounts conf.d as one projected volume and the TLS Secret as a directory; hashes roll the pods', () => {
    const pod = render().deployment.spec!.template;
    const volumes = Object.fromEntries(pod.spec!.volumes!.map((v) => [v.name, v]));
    expect(volumes.conf!.projected!.sources).toEqual([
      { configMap: { name: 'production-db-openvoxdb-config' } },
      { secret: { name: 'production-db-openvoxdb-database' } },
    ]);
    expect(volumes.tls!.secret).toEqual({ secretName: 'db-cert-tls', defaultMode: 0o440 });
    const [c] = pod.spec!.containers;
    expect(c!.volumeMounts!.map((m) => [m.mountPath, m.subPath])).toEqual([
      ['/etc/puppetlabs/puppetdb/conf.d', undefined],
      ['/etc/puppetlabs/puppetdb/tls', undefined],
      ['/opt/puppetlabs/server/data/puppetdb', undefined],
      ['/var/log/puppetlabs', undefined],
      ['/tmp', undefined],
    ]);
    expect(c!.image).toBe('ghcr.io/openvoxproject/openvoxdb:8.9.0');
    expect(c!.env).toEqual([{ name: 'JAVA_ARGS', value: '-Xms256m -Xmx512m' }]);
    expect(c!.readinessProbe!.exec!.command).toContain('http://127.0.0.1:8080/status/v1/simple');
    expect(c!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.spec!.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001, runAsGroup: 0 });

    const other = renderDatabase({ db: db(), credentials: { ...credentials, password: 'new' }, tlsSecret }).deployment
      .spec!.template;
    const annotations = pod.metadata!.annotations!;
    const changed = Object.keys(annotations).filter((k) => annotations[k] !== other.metadata!.annotations![k]);
    expect(changed).toEqual(['openvox.voxpupuli.org/database-secret-hash']);
  });

  it('takes replicas, javaArgs, resources, the service port and annotations from the spec', () => {
    const r = render(
      db({
        replicas: 2,
        javaArgs: '-Xmx1g',
        resources: { limits: { memory: '2Gi' } },
        service: { type: 'NodePort', port: 443, annotations: { a: 'b' } },
        priorityClassName: 'high',
        image: { repository: 'r/pdb', tag: '1', pullPolicy: 'Always', pullSecrets: [{ name: 'regcred' }] },
      }),
    );
    const spec = r.deployment.spec!;
    expect(spec.replicas).toBe(2);
    const c = spec.template.spec!.containers[0]!;
    expect(c.env).toEqual([{ name: 'JAVA_ARGS', value: '-Xmx1g' }]);
    expect(c.resources).toEqual({
      requests: { 'ephemeral-storage': '1Gi' },
      limits: { 'ephemeral-storage': '4Gi', memory: '2Gi' },
    });
    expect(c.imagePullPolicy).toBe('Always');
    expect(spec.template.spec!.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(spec.template.spec!.priorityClassName).toBe('high');
    expect(r.service.spec).toEqual({
      type: 'NodePort',
      selector: { 'openvox.voxpupuli.org/database': 'production-db' },
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 8081 }],
    });
    expect(r.service.metadata?.annotations).toEqual({ a: 'b' });
  });

  it('renders the PDB and the NetworkPolicy when enabled', () => {
    const r = render(
      db({
        pdb: { enabled: true, minAvailable: 1 },
        networkPolicy: { enabled: true, additionalIngress: [{ from: [{ podSelector: {} }] }] },
      }),
    );
    expect(r.pdb?.metadata?.name).toBe('production-db-openvoxdb');
    expect(r.pdb?.spec).toEqual({
      selector: { matchLabels: { 'openvox.voxpupuli.org/database': 'production-db' } },
      minAvailable: 1,
    });
    expect(r.networkPolicy?.metadata?.name).toBe('production-db-openvoxdb-netpol');
    expect(r.networkPolicy?.spec).toEqual({
      podSelector: { matchLabels: { 'openvox.voxpupuli.org/database': 'production-db' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 8081 }] }, { from: [{ podSelector: {} }] }],
    });
    expect(render(db({ pdb: { enabled: true } })).pdb?.spec?.maxUnavailable).toBe(1);
  });
});
