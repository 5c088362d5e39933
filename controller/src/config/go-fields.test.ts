// Config fields of the Go operator's API that change the rendered files: authorizationRules in
// auth.conf, httpClient timeouts in puppetserver.conf, metrics (JMX, Graphite) in metrics.conf.
import type { Config } from '@openvox/shared';
import { renderConfigData } from './render.js';

const config = (spec: Partial<Config['spec']> = {}): Config => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'Config',
  metadata: { name: 'production', namespace: 'ns', uid: 'uid-1' },
  spec: { image: { repository: 'r', tag: '1' }, ...spec },
});
const data = (spec: Partial<Config['spec']>) => renderConfigData(config(spec), undefined);
const names = (auth: string) => [...auth.matchAll(/^ {12}name: "([^"]+)"/gm)].map((m) => m[1]);

describe('authorizationRules', () => {
  const rules = [
    {
      name: 'metrics for monitoring',
      matchRequest: { path: '/metrics/v2', type: 'path' as const, method: ['get', 'post'] },
      allow: 'monitor.example.com',
      sortOrder: 400,
    },
    { name: 'open status', matchRequest: { path: '^/status/v2/', type: 'regex' as const }, allowUnauthenticated: true },
  ];

  it('puts the rules in sort-order, before the final deny-all, with puppetserver keys', () => {
    const auth = data({ puppetserver: { authorizationRules: rules } })['auth.conf']!;
    const order = names(auth);
    expect(order[0]).toBe('metrics for monitoring');
    expect(order.at(-1)).toBe('puppetlabs deny all');
    expect(order.at(-2)).toBe('open status');
    expect(auth).toContain(
      [
        '            allow: "monitor.example.com"',
        '            match-request: {',
        '                method: ["get", "post"]',
        '                path: "/metrics/v2"',
        '                type: "path"',
        '            }',
        '            name: "metrics for monitoring"',
        '            sort-order: 400',
      ].join('\n'),
    );
    expect(auth).toMatch(
      /allow-unauthenticated: true\n\s+match-request: \{\n\s+path: "\^\/status\/v2\/"\n\s+type: "regex"/,
    );
  });

  it('leaves auth.conf as before without rules', () => {
    expect(data({ puppetserver: { authorizationRules: [] } })['auth.conf']).toBe(data({})['auth.conf']);
  });
});

describe('httpClient', () => {
  it('writes only the timeouts that are set', () => {
    expect(
      data({ puppetserver: { httpClient: { connectTimeoutMs: 5000, idleTimeoutMs: 60000 } } })['puppetserver.conf'],
    ).toContain('http-client: {\n    connect-timeout-milliseconds: 5000\n    idle-timeout-milliseconds: 60000\n}');
    expect(data({ puppetserver: { httpClient: { idleTimeoutMs: 1 } } })['puppetserver.conf']).toContain(
      'http-client: {\n    idle-timeout-milliseconds: 1\n}',
    );
  });
});

describe('metrics', () => {
  it('without spec.metrics: the JMX reporter puppetserver ships', () => {
    expect(data({})['metrics.conf']).toContain('jmx: {\n                    enabled: true');
  });

  it('metrics off: no registries block (the Go meaning)', () => {
    expect(data({ metrics: { enabled: false, jmx: { enabled: true } } })['metrics.conf']).not.toContain('registries');
  });

  it('graphite and jmx on: both reporters in the registry, the Graphite server in the reporters block', () => {
    const conf = data({
      metrics: {
        enabled: true,
        jmx: { enabled: true },
        graphite: { enabled: true, host: 'graphite.example.com', port: 2004, updateIntervalSeconds: 30 },
      },
    })['metrics.conf']!;
    expect(conf).toMatch(
      /registries: \{\n\s+puppetserver: \{\n\s+reporters: \{\n\s+graphite: \{\n\s+enabled: true\n\s+\}\n\s+jmx: \{\n\s+enabled: true/,
    );
    expect(conf).toMatch(
      /\n {4}reporters: \{\n {8}graphite: \{\n {12}host: "graphite.example.com"\n {12}port: 2004\n {12}update-interval-seconds: 30/,
    );
  });
});
