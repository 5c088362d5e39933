import { parseSettings } from './settings.js';

describe('parseSettings', () => {
  it('has the documented defaults', () => {
    expect(parseSettings([], {})).toEqual({
      port: 9443,
      bindAddress: '0.0.0.0',
      tlsCertFile: '/tmp/k8s-webhook-server/serving-certs/tls.crt',
      tlsKeyFile: '/tmp/k8s-webhook-server/serving-certs/tls.key',
      kubeconfig: undefined,
      logLevel: 'info',
      certPollMs: 10000,
      watchNamespaces: [],
    });
  });

  it('takes the watched namespaces from --watch-namespaces or WATCH_NAMESPACES, flag first', () => {
    expect(parseSettings(['--watch-namespaces', 'team-a,team-b'], { WATCH_NAMESPACES: 'x' }).watchNamespaces).toEqual([
      'team-a',
      'team-b',
    ]);
    expect(parseSettings([], { WATCH_NAMESPACES: 'puppet' }).watchNamespaces).toEqual(['puppet']);
    expect(() => parseSettings(['--watch-namespaces', '-bad'], {})).toThrow(
      '--watch-namespaces: "-bad" is not a namespace name',
    );
  });

  it('reads the environment', () => {
    const s = parseSettings([], {
      WEBHOOK_PORT: '8443',
      TLS_CERT_FILE: '/c',
      TLS_KEY_FILE: '/k',
      KUBECONFIG: '/kc',
      WEBHOOK_BIND_ADDRESS: '127.0.0.1',
    });
    expect(s).toMatchObject({
      port: 8443,
      tlsCertFile: '/c',
      tlsKeyFile: '/k',
      kubeconfig: '/kc',
      bindAddress: '127.0.0.1',
    });
  });

  it('prefers flags over the environment, in both flag spellings', () => {
    const s = parseSettings(['--port', '7443', '--tls-cert=/f.crt', '--tls-key', '/f.key', '--kubeconfig=/f.kc'], {
      WEBHOOK_PORT: '8443',
      TLS_CERT_FILE: '/c',
      TLS_KEY_FILE: '/k',
      KUBECONFIG: '/kc',
    });
    expect(s).toMatchObject({ port: 7443, tlsCertFile: '/f.crt', tlsKeyFile: '/f.key', kubeconfig: '/f.kc' });
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--prot', '1']],
    [['--port']],
    [['stray']],
    [['--log-level', 'loud']],
  ])('rejects %p', (argv) => {
    expect(() => parseSettings(argv, {})).toThrow();
  });

  it('treats an empty environment value as unset', () => {
    expect(parseSettings([], { KUBECONFIG: '', WEBHOOK_PORT: '' })).toMatchObject({
      kubeconfig: undefined,
      port: 9443,
    });
  });
});
