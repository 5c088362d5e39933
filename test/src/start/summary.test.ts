import { join } from 'node:path';
import type { ClusterState } from '../cluster/cluster.js';
import { clusterPaths, REPO_ROOT } from '../cluster/paths.js';
import { startSummary } from './summary.js';

const operator = {
  webhookUrl: 'https://127.0.0.1:40001',
  controllerUrl: 'http://127.0.0.1:40002',
  pids: { webhook: 11, controller: 12 },
  logs: {},
};

const cluster = {
  server: 'https://10.213.0.1:40003',
  ports: { etcd: 40004 },
  pids: { 'kube-apiserver': 21, etcd: 22 },
  nodeMissing: [],
  node: { name: 'openvox-node', ip: '10.213.0.1', pids: { kubelet: 31, coredns: 32 } },
} as unknown as ClusterState;

describe('startSummary', () => {
  it('lists every process with its address, pid and log, aligned', () => {
    const text = startSummary({ operator, cluster, server: cluster.server, cwd: REPO_ROOT });
    const lines = text.split('\n');
    const logs = join(clusterPaths.logs).startsWith(REPO_ROOT) ? '.cluster/logs' : clusterPaths.logs;
    expect(lines[0]).toMatch(/^ +address +pid +log$/);
    expect(lines.slice(1).map((l) => l.trim().split(/ {2,}/))).toEqual([
      ['webhook', 'https://127.0.0.1:40001', '11', '(this terminal)'],
      ['controller', 'http://127.0.0.1:40002', '12', '(this terminal)'],
      ['API server', 'https://10.213.0.1:40003', '21', `${logs}/kube-apiserver.log`],
      ['etcd', 'http://127.0.0.1:40004', '22', `${logs}/etcd.log`],
      ['node', 'openvox-node 10.213.0.1', '31', `${logs}/kubelet.log`],
      ['cluster DNS', '10.213.0.1:53 (CoreDNS)', '32', `${logs}/coredns.log`],
    ]);
    // Every column starts at the same place on every line.
    const at = (line: string, cell: string) => line.indexOf(cell);
    expect(at(lines[1]!, '11')).toBe(at(lines[6]!, '32'));
  });

  it('says why there is no node, and names a cluster from KUBECONFIG as yours', () => {
    const noNode = { ...cluster, node: undefined, nodeMissing: ['not root'] } as ClusterState;
    expect(startSummary({ operator, cluster: noNode, server: '' })).toContain('none, so no pods run: not root');
    expect(startSummary({ operator, server: 'https://k8s.example:6443' })).toMatch(
      /API server +https:\/\/k8s\.example:6443 +- +\(your cluster\)/,
    );
  });
});
