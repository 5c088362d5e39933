// The table `npm start` ends its start-up with: what runs, where, its pid and where it logs.
import { join, relative } from 'node:path';
import type { ClusterState } from '../cluster/cluster.js';
import { NODE } from '../cluster/node/host.js';
import { clusterPaths } from '../cluster/paths.js';
import type { OperatorState } from '../operator/operator.js';

export interface SummaryInput {
  operator: Pick<OperatorState, 'webhookUrl' | 'controllerUrl' | 'pids' | 'logs'>;
  /** The local cluster's state; undefined when the cluster came from KUBECONFIG. */
  cluster?: ClusterState;
  /** The API server's URL (from the kubeconfig in use). */
  server: string;
  cwd?: string;
}

type Row = [what: string, where: string, pid: string, log: string];

const TERMINAL = '(this terminal)';

export function startSummary(input: SummaryInput): string {
  const cwd = input.cwd ?? process.cwd();
  const show = (file: string) => {
    const r = relative(cwd, file);
    return r.startsWith('..') ? file : r;
  };
  const clusterLog = (component: string) => show(join(clusterPaths.logs, `${component}.log`));
  const { operator, cluster } = input;
  const rows: Row[] = [
    [
      'webhook',
      operator.webhookUrl,
      String(operator.pids.webhook),
      operator.logs.webhook ? show(operator.logs.webhook) : TERMINAL,
    ],
    [
      'controller',
      operator.controllerUrl ?? '(not built: npm run build)',
      operator.pids.controller ? String(operator.pids.controller) : '-',
      operator.logs.controller ? show(operator.logs.controller) : TERMINAL,
    ],
  ];
  if (!cluster) {
    rows.push(['API server', input.server, '-', '(your cluster)']);
  } else {
    rows.push(['API server', cluster.server, String(cluster.pids['kube-apiserver']), clusterLog('kube-apiserver')]);
    rows.push(['etcd', `http://127.0.0.1:${cluster.ports.etcd}`, String(cluster.pids.etcd), clusterLog('etcd')]);
    if (cluster.node) {
      const { node } = cluster;
      rows.push(['node', `${node.name} ${node.ip}`, String(node.pids.kubelet), clusterLog('kubelet')]);
      rows.push(['cluster DNS', `${NODE.ip}:53 (CoreDNS)`, String(node.pids.coredns), clusterLog('coredns')]);
    } else {
      rows.push(['node', `none, so no pods run: ${cluster.nodeMissing.join('; ')}`, '-', '-']);
    }
  }
  return table([['', 'address', 'pid', 'log'], ...rows]);
}

function table(rows: Row[]): string {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => `  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')}`.trimEnd())
    .join('\n');
}
