import { parseSettings } from './settings.js';

describe('parseSettings', () => {
  it('has defaults', () => {
    expect(parseSettings([], {})).toEqual({
      port: 8080,
      bindAddress: '0.0.0.0',
      leaderElect: true,
      leaderElectionNamespace: 'default',
      leaderElectionId: 'openvox-operator-controller',
      leaseDurationSeconds: 12,
      renewDeadlineSeconds: 8,
      retryPeriodSeconds: 2,
      concurrency: 4,
      resyncSeconds: 600,
      agentCertificatePollSeconds: 30,
      watchTimeoutSeconds: 0,
      logLevel: 'info',
      controllers: [],
      watchNamespaces: [],
    });
  });
  it('watches the namespaces of --watch-namespaces (or WATCH_NAMESPACES), each once, in order', () => {
    expect(parseSettings(['--watch-namespaces', 'team-a, team-b,team-a'], {}).watchNamespaces).toEqual([
      'team-a',
      'team-b',
    ]);
    expect(parseSettings([], { WATCH_NAMESPACES: 'puppet' }).watchNamespaces).toEqual(['puppet']);
    expect(parseSettings(['--watch-namespaces=ops'], { WATCH_NAMESPACES: 'puppet' }).watchNamespaces).toEqual(['ops']);
    expect(parseSettings(['--watch-namespaces='], {}).watchNamespaces).toEqual([]);
  });
  it('refuses a watched namespace that is no namespace name, naming the flag and the entry', () => {
    expect(() => parseSettings(['--watch-namespaces', 'ok,Team_A'], {})).toThrow(
      '--watch-namespaces: "Team_A" is not a namespace name (a DNS-1123 label',
    );
    expect(() => parseSettings([], { WATCH_NAMESPACES: `${'a'.repeat(64)}` })).toThrow('is not a namespace name');
  });
  it('enables the debug port only by flag, never from the environment', () => {
    expect(parseSettings(['--debug-port', '0'], {}).debugPort).toBe(0);
    expect(parseSettings(['--debug-port=9090'], {}).debugPort).toBe(9090);
    expect(parseSettings([], { CONTROLLER_DEBUG_PORT: '9090', DEBUG_PORT: '9090' }).debugPort).toBeUndefined();
    expect(() => parseSettings(['--debug-port', 'x'], {})).toThrow('--debug-port must be an integer');
  });
  it('reads env and lets flags win', () => {
    const s = parseSettings(['--port', '9000', '--leader-elect=false', '--kubeconfig=/k'], {
      CONTROLLER_PORT: '7000',
      POD_NAMESPACE: 'ops',
      KUBECONFIG: '/env',
      CONTROLLER_CONCURRENCY: '8',
    });
    expect(s).toMatchObject({
      port: 9000,
      leaderElect: false,
      kubeconfig: '/k',
      leaderElectionNamespace: 'ops',
      concurrency: 8,
    });
  });
  it('takes lease timings and keeps lease > renew deadline > retry period', () => {
    expect(
      parseSettings(
        [
          '--leader-election-lease-duration=8',
          '--leader-election-renew-deadline=5',
          '--leader-election-retry-period=1',
        ],
        {},
      ),
    ).toMatchObject({ leaseDurationSeconds: 8, renewDeadlineSeconds: 5, retryPeriodSeconds: 1 });
    expect(() =>
      parseSettings(['--leader-election-lease-duration=5', '--leader-election-renew-deadline=5'], {}),
    ).toThrow('--leader-election-lease-duration > --leader-election-renew-deadline');
  });
  it('selects controllers by name', () => {
    expect(parseSettings(['--controllers=server, pool'], {}).controllers).toEqual(['server', 'pool']);
    expect(() => parseSettings(['--controllers=nope'], {})).toThrow('unknown controller nope');
  });
  it('rejects unknown flags and bad values', () => {
    expect(() => parseSettings(['--nope'], {})).toThrow('unknown flag --nope');
    expect(() => parseSettings(['--concurrency=0'], {})).toThrow('--concurrency');
    expect(() => parseSettings(['--leader-elect=maybe'], {})).toThrow('--leader-elect');
  });
});
