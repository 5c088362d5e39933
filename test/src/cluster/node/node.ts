// A real node beside the local control plane: containerd (built from Go modules), runc and the CNI
// plugins (Debian), kubelet and kube-proxy (built with the control plane), and CoreDNS for
// cluster.local. Needs root; when something is missing, `missingForNode` says exactly what.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterPki } from '../pki.js';
import { waitFor200 } from '../health.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { freePort, isAlive, startDetached, stopProcess } from '../processes.js';
import * as configs from './configs.js';
import { NODE, run, setupHostNetwork, teardownHostNetwork, unmountBelow } from './host.js';
import { IMAGES, importImages } from './images.js';
import { HOSTPATH_PV_DIR } from './storage.js';
import { progress } from '../../progress/progress.js';

export const NODE_COMPONENTS = ['containerd', 'kubelet', 'kube-proxy', 'coredns'] as const;
export type NodeComponent = (typeof NODE_COMPONENTS)[number];

const RUNC = '/usr/sbin/runc';
const CNI_BIN = '/usr/lib/cni';
/** Host directories kubelet, CNI and runc insist on; removed at teardown when the node created them. */
const HOST_DIRS = ['/var/lib/kubelet', '/var/lib/cni', '/run/containerd', HOSTPATH_PV_DIR];

export interface NodeState {
  name: string;
  ip: string;
  nodeBinDir: string;
  pids: Record<NodeComponent, number>;
  args: Record<NodeComponent, string[]>;
  ports: { kubeletHealthz: number; proxyHealthz: number; proxyMetrics: number; dnsHealth: number };
  /** Host directories that did not exist before the node started. */
  createdHostDirs: string[];
  images: string[];
}

export interface NodeInput {
  root: string;
  logs: string;
  binDir: string;
  nodeBinDir: string;
  imageDirs: string[];
  server: string;
  pki: ClusterPki;
  adminKubeconfig: string;
}

/** What no package install can fix: root, and bridge netfilter in the kernel. */
export function missingHostSupport(): string[] {
  const missing: string[] = [];
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    missing.push('root (kubelet, containerd, bridges and iptables need it): run as root');
  if (!existsSync('/proc/sys/net/bridge'))
    missing.push('bridge netfilter (/proc/sys/net/bridge: modprobe br_netfilter)');
  return missing;
}

/** Why a node cannot run here, once packages are installed and builds done; empty when it can. */
export function missingForNode(binDir: string, nodeBinDir: string | undefined): string[] {
  const missing = missingHostSupport();
  for (const tool of ['ip', 'iptables', 'umount'])
    if (run('which', [tool]).code !== 0) missing.push(`${tool} (apt-get install iproute2 iptables mount)`);
  if (!existsSync(RUNC)) missing.push(`${RUNC} (apt-get install runc)`);
  for (const plugin of ['bridge', 'host-local', 'portmap', 'loopback'])
    if (!existsSync(join(CNI_BIN, plugin)))
      missing.push(`${CNI_BIN}/${plugin} (apt-get install containernetworking-plugins)`);
  for (const bin of ['kubelet', 'kube-proxy']) if (!existsSync(join(binDir, bin))) missing.push(`${binDir}/${bin}`);
  if (!nodeBinDir) missing.push('containerd and CoreDNS (test/cluster/build-node.sh failed)');
  return missing;
}

function nodePaths(root: string) {
  const node = join(root, 'node');
  return {
    node,
    run: join(node, 'run'),
    containerdRoot: join(node, 'containerd', 'root'),
    containerdState: join(node, 'containerd', 'state'),
    containerdConfig: join(node, 'containerd', 'config.toml'),
    socket: join(node, 'run', 'containerd.sock'),
    cniConfDir: join(node, 'cni'),
    kubeletRoot: join(node, 'kubelet', 'root'),
    kubeletConfig: join(node, 'kubelet', 'config.yaml'),
    kubeletKubeconfig: join(node, 'kubelet', 'kubeconfig'),
    resolvConf: join(node, 'kubelet', 'resolv.conf'),
    kubeProxyConfig: join(node, 'kube-proxy.yaml'),
    corefile: join(node, 'Corefile'),
    ipForward: join(node, 'ip_forward.orig'),
    pvs: join(node, 'volumes'),
    registryHosts: join(node, 'containerd', 'registry'),
  };
}

/** containerd's socket of the node under a cluster root (for `ctr -a`). */
export function containerdSocket(root: string): string {
  return nodePaths(root).socket;
}

function log(message: string): void {
  progress.log(`cluster: node: ${message}`);
}

/** The node's Ready condition, read with kubectl (the harness, not the product, shells out). */
function nodeReady(input: NodeInput): boolean {
  const r = run(join(input.binDir, 'kubectl'), [
    '--kubeconfig',
    input.adminKubeconfig,
    'get',
    'node',
    NODE.name,
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
  ]);
  return r.code === 0 && r.stdout.trim() === 'True';
}

async function waitForNodeReady(input: NodeInput, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (nodeReady(input)) return;
    if (!isAlive(pid)) throw new Error('kubelet exited before the node became Ready; see .cluster/logs/kubelet.log');
    await sleep(250);
  }
  throw new Error(`node ${NODE.name} not Ready after ${timeoutMs / 1000} s; see .cluster/logs/kubelet.log`);
}

export async function startNode(input: NodeInput): Promise<NodeState> {
  const p = nodePaths(input.root);
  const createdHostDirs = HOST_DIRS.filter((d) => !existsSync(d));
  for (const d of [p.run, p.containerdRoot, p.containerdState, p.cniConfDir, p.kubeletRoot, p.pvs])
    mkdirSync(d, { recursive: true });
  const ports = {
    kubeletHealthz: await freePort(),
    proxyHealthz: await freePort(),
    proxyMetrics: await freePort(),
    dnsHealth: await freePort(),
  };
  const files: configs.NodeFiles = {
    containerdRoot: p.containerdRoot,
    containerdState: p.containerdState,
    containerdSocket: p.socket,
    cniConfDir: p.cniConfDir,
    cniBinDir: CNI_BIN,
    runc: RUNC,
    pauseImage: IMAGES.pause,
    registryConfigDir: p.registryHosts,
    pki: { ca: input.pki.caCert, kubeletCert: input.pki.kubeletServingCert, kubeletKey: input.pki.kubeletServingKey },
    resolvConf: p.resolvConf,
    kubeletHealthzPort: ports.kubeletHealthz,
  };
  writeFileSync(p.containerdConfig, configs.containerdConfig(files));
  mkdirSync(join(p.registryHosts, '_default'), { recursive: true });
  writeFileSync(join(p.registryHosts, '_default', 'hosts.toml'), configs.registryHosts());
  writeFileSync(join(p.cniConfDir, '10-openvox-node.conflist'), configs.cniConflist());
  writeFileSync(p.kubeletConfig, configs.kubeletConfig(files));
  // Pods with hostNetwork or dnsPolicy Default get only their own loopback: lookups fail fast, nothing leaves.
  writeFileSync(p.resolvConf, 'nameserver 127.0.0.1\n');
  writeKubeconfig(p.kubeletKubeconfig, {
    server: input.server,
    caFile: input.pki.caCert,
    certFile: input.pki.kubeletClientCert,
    keyFile: input.pki.kubeletClientKey,
  });
  writeFileSync(
    p.kubeProxyConfig,
    configs.kubeProxyConfig(input.adminKubeconfig, ports.proxyHealthz, ports.proxyMetrics),
  );
  writeFileSync(p.corefile, configs.corefile(input.adminKubeconfig, ports.dnsHealth));

  const pids = {} as Record<NodeComponent, number>;
  const args = {} as Record<NodeComponent, string[]>;
  const env = { ...process.env, PATH: `${input.nodeBinDir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` };
  const start = (component: NodeComponent, binary: string, argv: string[]) => {
    args[component] = argv;
    pids[component] = startDetached(binary, argv, join(input.logs, `${component}.log`), env);
    log(`started ${component} (pid ${pids[component]})`);
  };
  const started = Date.now();
  const task = progress.task('node');
  try {
    const state = await bringUp();
    task.done();
    return state;
  } catch (error) {
    task.fail();
    // Leave nothing half-started: the same teardown as cluster:down, with the pids started so far.
    await stopNode(input.root, {
      name: NODE.name,
      ip: NODE.ip,
      nodeBinDir: input.nodeBinDir,
      pids,
      args,
      ports,
      createdHostDirs,
      images: [],
    });
    throw error;
  }

  async function bringUp(): Promise<NodeState> {
    task.stage(1, 3, 'containerd, importing the images');
    start('containerd', join(input.nodeBinDir, 'containerd'), ['--config', p.containerdConfig]);
    const ctr = join(input.nodeBinDir, 'ctr');
    const deadline = Date.now() + 30_000;
    while (run(ctr, ['-a', p.socket, 'version']).code !== 0) {
      if (!isAlive(pids.containerd) || Date.now() > deadline)
        throw new Error('containerd did not start; see .cluster/logs/containerd.log');
      await sleep(200);
    }
    const images = importImages(ctr, p.socket, input.imageDirs);
    log(`containerd up, ${images.length} images imported after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    task.stage(2, 3, 'kubelet, kube-proxy, CoreDNS: waiting for the node to be Ready');
    start('kubelet', join(input.binDir, 'kubelet'), [
      `--config=${p.kubeletConfig}`,
      `--kubeconfig=${p.kubeletKubeconfig}`,
      `--root-dir=${p.kubeletRoot}`,
      `--hostname-override=${NODE.name}`,
      `--node-ip=${NODE.ip}`,
      '--v=1',
    ]);
    start('kube-proxy', join(input.binDir, 'kube-proxy'), [`--config=${p.kubeProxyConfig}`]);
    start('coredns', join(input.nodeBinDir, 'coredns'), ['-conf', p.corefile]);
    await waitForNodeReady(input, pids.kubelet, 90_000);
    task.stage(3, 3, 'kube-proxy and CoreDNS healthy');
    await waitFor200('kube-proxy', `http://127.0.0.1:${ports.proxyHealthz}/healthz`, undefined, 30_000, () =>
      isAlive(pids['kube-proxy']),
    );
    await waitFor200('coredns', `http://127.0.0.1:${ports.dnsHealth}/health`, undefined, 30_000, () =>
      isAlive(pids.coredns),
    );
    log(`node ${NODE.name} (${NODE.ip}) Ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { name: NODE.name, ip: NODE.ip, nodeBinDir: input.nodeBinDir, pids, args, ports, createdHostDirs, images };
  }
}

export function isNodeAlive(state: NodeState): boolean {
  return NODE_COMPONENTS.every((c) => state.pids[c] !== undefined && isAlive(state.pids[c]));
}

/** Shims of our containerd outlive it; they are found by their binary path. */
function leftoverShims(nodeBinDir: string): number[] {
  const r = run('pgrep', ['-f', `^${join(nodeBinDir, 'containerd-shim-runc-v2')}`]);
  return r.stdout
    .split('\n')
    .map(Number)
    .filter((n) => n > 0);
}

/**
 * Stops the node and removes every trace of it: pods (the kubelet tears them down while the API
 * server still runs), containers, shims, mounts, network namespaces, bridges, iptables chains and
 * ip_forward as it was.
 */
export async function stopNode(
  root: string,
  state: NodeState | undefined,
  deletePods?: () => Promise<void>,
): Promise<void> {
  const p = nodePaths(root);
  if (state && isNodeAlive(state) && deletePods) await deletePods().catch(() => undefined);
  if (state) {
    for (const c of ['kube-proxy', 'kubelet', 'coredns'] as const) if (state.pids[c]) await stopProcess(state.pids[c]);
    const ctr = join(state.nodeBinDir, 'ctr');
    if (state.pids.containerd && isAlive(state.pids.containerd)) {
      const tasks = run(ctr, ['-a', p.socket, '-n', 'k8s.io', 'tasks', 'ls', '-q']).stdout.split('\n').filter(Boolean);
      for (const t of tasks) run(ctr, ['-a', p.socket, '-n', 'k8s.io', 'tasks', 'kill', '-s', 'SIGKILL', t]);
      for (const t of tasks) run(ctr, ['-a', p.socket, '-n', 'k8s.io', 'tasks', 'delete', '-f', t]);
    }
    if (state.pids.containerd) await stopProcess(state.pids.containerd);
    for (const pid of leftoverShims(state.nodeBinDir)) await stopProcess(pid, 2000);
  }
  const unmounted = unmountBelow([p.node, '/run/netns', '/run/containerd', '/var/lib/kubelet']);
  teardownHostNetwork(p.ipForward);
  if (state) for (const d of state.createdHostDirs) rmSync(d, { recursive: true, force: true });
  rmSync(p.node, { recursive: true, force: true });
  log(`stopped; ${unmounted} mounts removed`);
}

/** The node IP must exist before the API server binds to it. */
export function prepareNodeNetwork(root: string): void {
  const p = nodePaths(root);
  mkdirSync(p.node, { recursive: true });
  setupHostNetwork(p.ipForward);
}

export { nodePaths };
