import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadClusterConfig } from './cluster.js';

function capture() {
  const lines: { msg: string }[] = [];
  return { lines, logger: pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) }) };
}

describe('loadClusterConfig', () => {
  it('is off, and says so once, without a kubeconfig outside a pod', async () => {
    const { lines, logger } = capture();
    expect(await loadClusterConfig({ kubeconfig: undefined, env: {} }, logger)).toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual(['no cluster configured: reference lookups are off']);
  });

  it('is off when the kubeconfig file does not exist', async () => {
    const { lines, logger } = capture();
    expect(await loadClusterConfig({ kubeconfig: '/nonexistent/kubeconfig', env: {} }, logger)).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toContain('does not exist');
  });

  it('loads an existing kubeconfig file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-kc-'));
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      // JSON is YAML: no YAML dependency needed for this fixture.
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'local', cluster: { server: 'https://127.0.0.1:6443' } }],
        users: [{ name: 'admin', user: { token: 'x' } }],
        contexts: [{ name: 'local', context: { cluster: 'local', user: 'admin' } }],
        'current-context': 'local',
      }),
    );
    const connection = await loadClusterConfig({ kubeconfig: file, env: {} }, capture().logger);
    expect(connection?.server).toBe('https://127.0.0.1:6443');
    expect(await connection?.headers()).toEqual({ Authorization: 'Bearer x' });
  });

  it('uses the in-cluster config in a pod', async () => {
    // The service account's files exist only in a pod: reading its CA shows the in-cluster path was taken.
    await expect(
      loadClusterConfig(
        {
          kubeconfig: undefined,
          env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
          fileExists: () => true,
        },
        capture().logger,
      ),
    ).rejects.toThrow('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt');
  });
});
