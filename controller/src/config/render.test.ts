import type { CertificateAuthority, Config } from '@openvox/shared';
import { ConfigRenderError, renderConfigData, renderConfigMap } from './render.js';
import { configKeysForRole, OPENVOX_IMAGE_LAYOUT } from '../contracts/pod-layout.js';

const config = (spec: Partial<Config['spec']> = {}): Config => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'Config',
  metadata: { name: 'production', namespace: 'ns', uid: 'uid-1' },
  spec: {
    image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
    authorityRef: 'production-ca',
    ...spec,
  },
});

const ca: CertificateAuthority = {
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'CertificateAuthority',
  metadata: { name: 'production-ca', namespace: 'ns' },
  spec: { ttl: '5y', autoRenewalCertTTL: '30d', allowAutoRenewal: false },
};

describe('renderConfigData', () => {
  it('renders every key the pods mount, in sorted order', () => {
    const data = renderConfigData(config(), ca);
    expect(Object.keys(data)).toEqual([...Object.keys(data)].sort());
    for (const key of [...configKeysForRole(true), ...configKeysForRole(false)]) expect(data[key]).toBeDefined();
  });

  it('points webserver.conf at the files tls-init lays out in the ssl emptyDir', () => {
    const data = renderConfigData(config(), ca);
    expect(data['webserver.conf']).toBe(
      [
        'webserver: {',
        '    client-auth: "want"',
        '    ssl-ca-cert: "/etc/puppetlabs/puppet/ssl/certs/ca.pem"',
        '    ssl-cert: "/etc/puppetlabs/puppet/ssl/certs/puppet.pem"',
        '    ssl-crl-path: "/etc/puppetlabs/puppet/ssl/crl.pem"',
        '    ssl-host: "0.0.0.0"',
        '    ssl-key: "/etc/puppetlabs/puppet/ssl/private_keys/puppet.pem"',
        '    ssl-port: 8140',
        '}',
        '',
      ].join('\n'),
    );
    expect(data['webserver-ca.conf']).toBe(data['webserver.conf']);
    // every ssl-* path lives under the ssl emptyDir mount, none under a Secret mount
    for (const path of data['webserver.conf'].match(/"\/[^"]+"/g)!) {
      expect(path.startsWith(`"${OPENVOX_IMAGE_LAYOUT.ssldir}/`)).toBe(true);
    }
  });

  it('writes puppet.conf with paths, server settings, ca_ttl from the CA and sorted extras that may override', () => {
    const data = renderConfigData(
      config({
        puppet: {
          environmentTimeout: 'unlimited',
          storeconfigs: true,
          reports: 'store,puppetdb',
          extraConfig: { main: { zzz: '1', logdir: '/logs', aaa: '2' }, agent: { noop: 'true' } },
        },
      }),
      ca,
    );
    expect(data['puppet.conf']).toBe(
      [
        '[main]',
        'certname = puppet',
        'confdir = /etc/puppetlabs/puppet',
        'ssldir = /etc/puppetlabs/puppet/ssl',
        'vardir = /opt/puppetlabs/puppet/cache',
        'logdir = /logs',
        'codedir = /etc/puppetlabs/code',
        'rundir = /var/run/puppetlabs',
        'hostcrl = /etc/puppetlabs/puppet/ssl/crl.pem',
        'manage_internal_file_permissions = false',
        'environmentpath = /etc/puppetlabs/code/environments',
        'hiera_config = $confdir/hiera.yaml',
        'aaa = 2',
        'zzz = 1',
        '',
        '[server]',
        'cadir = /etc/puppetlabs/puppetserver/ca',
        'environment_timeout = unlimited',
        'storeconfigs = true',
        'storeconfigs_backend = puppetdb',
        'reports = store,puppetdb',
        'ca_ttl = 157680000',
        'autosign = /etc/puppetlabs/puppet/autosign/openvox-autosign',
        '',
        '[agent]',
        'noop = true',
        '',
      ].join('\n'),
    );
  });

  it('writes ca.conf from the CA spec with defaults', () => {
    expect(renderConfigData(config(), ca)['ca.conf']).toBe(
      'certificate-authority: {\n    allow-authorization-extensions: true\n    allow-auto-renewal: false\n    allow-subject-alt-names: true\n    auto-renewal-cert-ttl: "30d"\n    enable-infra-crl: false\n}\n',
    );
  });

  it('turns the infrastructure CRL on only when the CA asks for it', () => {
    const withInfra = { ...ca, spec: { ...ca.spec, enableInfraCRL: true } };
    expect(renderConfigData(config(), withInfra)['ca.conf']).toContain('enable-infra-crl: true');
  });

  it('selects the CA service by role', () => {
    const data = renderConfigData(config(), undefined);
    expect(data['ca-enabled.cfg']).toMatch(
      /^puppetlabs\.services\.ca\.certificate-authority-service\/certificate-authority-service$/m,
    );
    expect(data['ca-disabled.cfg']).toMatch(
      /^puppetlabs\.services\.ca\.certificate-authority-disabled-service\/certificate-authority-disabled-service$/m,
    );
    expect(data['ca-disabled.cfg']).not.toMatch(/^puppetlabs\.services\.ca\.certificate-authority-service/m);
    expect(data['puppet.conf']).not.toContain('ca_ttl');
  });

  it('ends auth.conf with deny-all and keeps status/simple unauthenticated', () => {
    const auth = renderConfigData(config(), ca)['auth.conf'];
    expect(auth.indexOf('"puppetlabs deny all"')).toBeGreaterThan(auth.indexOf('"puppetlabs facts"'));
    expect(auth).toMatch(
      /allow-unauthenticated: true\n\s+match-request: \{\n\s+method: \["get"\]\n\s+path: "\/status\/v1\/simple"/,
    );
  });

  it('writes logback loggers sorted and escaped, whatever the map order', () => {
    const a = renderConfigData(
      config({ logging: { level: 'WARN', loggers: { 'b.x': 'debug', 'a"/><x': 'INFO' } } }),
      ca,
    );
    const b = renderConfigData(
      config({ logging: { level: 'WARN', loggers: { 'a"/><x': 'INFO', 'b.x': 'debug' } } }),
      ca,
    );
    expect(a).toEqual(b);
    expect(a['logback.xml']).toContain(
      '<logger name="a&quot;/&gt;&lt;x" level="INFO"/>\n    <logger name="b.x" level="DEBUG"/>',
    );
    expect(a['logback.xml']).toContain('<root level="WARN">');
  });

  it.each([
    [
      'a puppet.conf value with a line break',
      { puppet: { environmentTimeout: '5m\n[agent]\nserver = evil' } },
      /environment_timeout/,
    ],
    ['an extraConfig key with spaces', { puppet: { extraConfig: { main: { 'a b': 'x' } } } }, /invalid setting name/],
    ['an unknown log level', { logging: { loggers: { x: 'LOUD' } } }, /unknown log level/],
    ['a PuppetDB URL with a comma', { puppetdb: { serverUrls: ['https://a:8081,https://b:8081'] } }, /server_urls/],
  ])('refuses %s with a ConfigRenderError', (_what, spec, message) => {
    expect(() => renderConfigData(config(spec as Partial<Config['spec']>), ca)).toThrow(ConfigRenderError);
    expect(() => renderConfigData(config(spec as Partial<Config['spec']>), ca)).toThrow(message);
  });

  it('writes puppetdb.conf', () => {
    expect(
      renderConfigData(config({ puppetdb: { serverUrls: ['https://pdb:8081', 'https://pdb2:8081'] } }), ca)[
        'puppetdb.conf'
      ],
    ).toBe('[main]\nserver_urls = https://pdb:8081,https://pdb2:8081\nsoft_write_failure = true\n');
  });

  it('with a Database (databaseRef): its URL in puppetdb.conf, storeconfigs on, puppetdb added to reports', () => {
    const url = 'https://production-db-openvoxdb.ns.svc:8081';
    const data = renderConfigData(config({ databaseRef: 'production-db' }), ca, undefined, {
      reportProcessors: true,
      databaseUrl: url,
    });
    expect(data['puppetdb.conf']).toBe(`[main]\nserver_urls = ${url}\nsoft_write_failure = true\n`);
    expect(data['puppet.conf']).toMatch(
      /\nstoreconfigs = true\nstoreconfigs_backend = puppetdb\nreports = store,puppetdb,openvox_http\n/,
    );
    // The user's own choices stay: another backend, reports that already name puppetdb, or none at all.
    const conf = (puppet: NonNullable<Config['spec']['puppet']>) =>
      renderConfigData(config({ databaseRef: 'db', puppet }), ca, undefined, {
        reportProcessors: false,
        databaseUrl: url,
      })['puppet.conf'];
    expect(conf({ storeBackend: 'custom', reports: 'puppetdb,log' })).toMatch(
      /\nstoreconfigs_backend = custom\nreports = puppetdb,log\n/,
    );
    expect(conf({ reports: 'none' })).toMatch(/\nreports = none\n/);
    // Without a Database nothing of it appears.
    const plain = renderConfigData(config(), ca);
    expect(plain['puppet.conf']).not.toContain('storeconfigs');
    expect(plain['puppetdb.conf']).toBe('[main]\nsoft_write_failure = true\n');
  });
});

describe('renderConfigMap', () => {
  it('names, labels and owns the ConfigMap', () => {
    const cm = renderConfigMap(config(), ca);
    expect(cm.metadata?.name).toBe('production-config');
    expect(cm.metadata?.namespace).toBe('ns');
    expect(cm.metadata?.labels).toEqual({
      'app.kubernetes.io/name': 'openvox-server',
      'app.kubernetes.io/managed-by': 'openvox-operator',
      'openvox.voxpupuli.org/config': 'production',
    });
    expect(cm.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'openvox.voxpupuli.org/v1alpha1',
        kind: 'Config',
        name: 'production',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });
});
