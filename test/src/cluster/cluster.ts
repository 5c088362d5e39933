// The local cluster: etcd, kube-apiserver, kube-controller-manager and kube-scheduler, and (as root) a
// real node beside them (node/node.ts). Without a node the control plane binds to 127.0.0.1 alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditArgs } from './audit.js';
import { buildBinaries, buildNodeBinaries, installNodePackages } from './build.js';
import { progress } from '../progress/progress.js';
import { NODE } from './node/host.js';
import { buildImages } from './node/images.js';
import {
  missingForNode,
  missingHostSupport,
  prepareNodeNetwork,
  startNode,
  stopNode,
  isNodeAlive,
  type NodeState,
} from './node/node.js';
import { defaultStorage } from './node/storage.js';
import { clusterPaths as paths } from './paths.js';
import { writeClusterPki, type ClusterPki } from './pki.js';
import { freePort, isAlive, startDetached, stopProcess } from './processes.js';
import { getStatus, waitFor200, type TlsFiles } from './health.js';
import { writeKubeconfig } from './kubeconfig.js';

const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
type Component = (typeof COMPONENTS)[number];

export interface ClusterState {
  binDir: string;
  server: string;
  ports: Record<Component, number>;
  pids: Record<Component, number>;
  /** Kept so a fault test can restart one component exactly as it was started. */
  args: Record<Component, string[]>;
  /** The real node, when this machine can run one. */
  node?: NodeState;
  /** Why there is no node (empty when there is one). */
  nodeMissing: string[];
}

function log(message: string): void {
  progress.log(`cluster: ${message}`);
}

export function readState(): ClusterState | undefined {
  if (!existsSync(paths.state)) return undefined;
  try {
    return JSON.parse(readFileSync(paths.state, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

function adminTls(): TlsFiles {
  return { ca: join(paths.pki, 'ca.crt'), cert: join(paths.pki, 'admin.crt'), key: join(paths.pki, 'admin.key') };
}

/** True when every process of a recorded cluster is alive and the API server is ready. */
async function isHealthy(state: ClusterState, binDir: string): Promise<boolean> {
  if (state.binDir !== binDir) return false;
  if (!COMPONENTS.every((c) => isAlive(state.pids[c]))) return false;
  if (state.node && !isNodeAlive(state.node)) return false;
  return (await getStatus(`${state.server}/readyz`, adminTls())) === 200;
}

/** Lets the kubelet tear its pods down (CNI DEL, unmounts) while the API server still runs. */
function deleteAllPods(state: ClusterState): Promise<void> {
  const kubectl = join(state.binDir, 'kubectl');
  const k = (args: string[]) =>
    spawnSync(kubectl, ['--kubeconfig', paths.kubeconfig, ...args], { encoding: 'utf8', timeout: 90_000 });
  k(['delete', 'deployments,replicasets,statefulsets,daemonsets,jobs', '--all', '-A', '--wait=false']);
  k(['delete', 'pods', '--all', '-A', '--grace-period=1', '--timeout=60s']);
  return Promise.resolve();
}

async function stopAll(state: ClusterState | undefined): Promise<void> {
  if (state?.node || existsSync(join(paths.root, 'node'))) {
    await stopNode(paths.root, state?.node, state ? () => deleteAllPods(state) : undefined);
  }
  if (!state) return;
  for (const component of [...COMPONENTS].reverse()) await stopProcess(state.pids[component]);
}

function etcdArgs(port: number): string[] {
  return [
    `--data-dir=${paths.etcdData}`,
    `--listen-client-urls=http://127.0.0.1:${port}`,
    `--advertise-client-urls=http://127.0.0.1:${port}`,
    '--listen-peer-urls=http://127.0.0.1:0',
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

function apiserverArgs(pki: ClusterPki, ports: Record<Component, number>, withNode: boolean): string[] {
  // With a node the API server listens on the node IP, so pods reach it through the `kubernetes` Service.
  const node = withNode
    ? [
        `--bind-address=${NODE.ip}`,
        `--advertise-address=${NODE.ip}`,
        `--kubelet-client-certificate=${pki.apiserverKubeletClientCert}`,
        `--kubelet-client-key=${pki.apiserverKubeletClientKey}`,
        // The default tries the node's Hostname first, which nothing resolves.
        '--kubelet-preferred-address-types=InternalIP',
      ]
    : ['--bind-address=127.0.0.1'];
  return [
    ...node,
    `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
    `--secure-port=${ports['kube-apiserver']}`,
    `--cert-dir=${pki.certDir}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-issuer=https://127.0.0.1:${ports['kube-apiserver']}/`,
    `--service-account-key-file=${pki.saPublic}`,
    `--service-account-signing-key-file=${pki.saPrivate}`,
    `--service-cluster-ip-range=${NODE.serviceCidr}`,
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    '--feature-gates=ImageVolume=true',
    ...auditArgs(),
  ];
}

/** What kube-controller-manager and kube-scheduler share: the admin kubeconfig, a loopback port, no election. */
function clientComponentArgs(pki: ClusterPki, port: number): string[] {
  return [
    `--kubeconfig=${paths.kubeconfig}`,
    `--authentication-kubeconfig=${paths.kubeconfig}`,
    `--authorization-kubeconfig=${paths.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--tls-cert-file=${join(pki.certDir, 'apiserver.crt')}`,
    `--tls-private-key-file=${join(pki.certDir, 'apiserver.key')}`,
    '--leader-elect=false',
  ];
}

function controllerManagerArgs(pki: ClusterPki, ports: Record<Component, number>): string[] {
  return [
    ...clientComponentArgs(pki, ports['kube-controller-manager']),
    `--service-account-private-key-file=${pki.saPrivate}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--controllers=*',
    // client-go's default 20 requests/s (burst 30) made ReplicaSet and pod creation, not our controller,
    // the bound of the 5,000-Server benchmark (~8 min for 10,000 creates); many clusters raise it too.
    '--kube-api-qps=100',
    '--kube-api-burst=200',
  ];
}

const schedulerArgs = (pki: ClusterPki, ports: Record<Component, number>) =>
  clientComponentArgs(pki, ports['kube-scheduler']);

/** OPENVOX_NODE=0 asks for the control plane alone (quicker; no pods run). */
function nodeWanted(): boolean {
  return process.env.OPENVOX_NODE !== '0';
}

/**
 * Builds (once) what the node needs, concurrently with the control plane's build (the image builds wait
 * on the Debian archive as much as on the CPU); returns why a node cannot run here, if it cannot.
 */
async function prepareNode(): Promise<{ nodeBinDir?: string; imageDirs: string[]; missing: string[] }> {
  if (!nodeWanted()) return { imageDirs: [], missing: ['OPENVOX_NODE=0 was set'] };
  const imageDirs: string[] = [];
  // Only what apt cannot fix stops the node before the packages are installed.
  const early = missingHostSupport();
  if (early.length) return { imageDirs, missing: early };
  try {
    await installNodePackages();
    const [nodeBinDir, images, operator] = await Promise.all([
      buildNodeBinaries(),
      buildImages(),
      buildImages(['operator']),
    ]);
    return { nodeBinDir, imageDirs: [images, operator], missing: [] };
  } catch (error) {
    return { imageDirs, missing: [(error as Error).message] };
  }
}

function linkTools(binDir: string): void {
  mkdirSync(paths.bin, { recursive: true });
  for (const tool of ['kubectl', 'helm']) {
    rmSync(join(paths.bin, tool), { force: true });
    symlinkSync(join(binDir, tool), join(paths.bin, tool));
  }
}

export interface ClusterUpOptions {
  /** More builds to run beside the cluster's own (`npm test` adds cert-manager and kube-score). */
  alsoBuild?: (() => Promise<unknown>)[];
}

export async function clusterUp(options: ClusterUpOptions = {}): Promise<ClusterState> {
  try {
    const extra = Promise.all((options.alsoBuild ?? []).map((build) => build()));
    // Settled before it is awaited, so a failure here is not an unhandled rejection while the cluster starts.
    extra.catch(() => undefined);
    const state = await startCluster();
    await extra;
    return state;
  } catch (error) {
    progress.failRunning();
    throw error;
  } finally {
    progress.stop();
  }
}

async function startCluster(): Promise<ClusterState> {
  const [binDir, node] = await Promise.all([buildBinaries(), prepareNode()]);
  const { nodeBinDir, imageDirs } = node;
  const missing = node.missing.length ? node.missing : missingForNode(binDir, nodeBinDir);
  const previous = readState();
  if (previous && (await isHealthy(previous, binDir))) {
    log(`already running at ${previous.server}`);
    linkTools(binDir);
    return previous;
  }
  if (previous) log('found a stopped or unhealthy cluster: restarting it from scratch');
  await stopAll(previous);
  rmSync(paths.root, { recursive: true, force: true });
  for (const dir of [paths.root, paths.logs]) mkdirSync(dir, { recursive: true });

  const started = Date.now();
  const withNode = missing.length === 0 && nodeBinDir !== undefined;
  if (!withNode) log(`no real node (pods will not run): missing\n  - ${missing.join('\n  - ')}`);
  if (withNode) prepareNodeNetwork(paths.root);
  const pki = await writeClusterPki(paths.pki, {
    nodeName: NODE.name,
    nodeIp: NODE.ip,
    apiserverIps: withNode ? [NODE.ip] : [],
  });
  const ports = {
    etcd: await freePort(),
    'kube-apiserver': await freePort(),
    'kube-controller-manager': await freePort(),
    'kube-scheduler': await freePort(),
  };
  const server = `https://${withNode ? NODE.ip : '127.0.0.1'}:${ports['kube-apiserver']}`;
  const pids = {} as Record<Component, number>;
  const allArgs = {} as Record<Component, string[]>;
  const task = progress.task('control plane');
  const start = (component: Component, args: string[]) => {
    allArgs[component] = args;
    pids[component] = startDetached(join(binDir, component), args, join(paths.logs, `${component}.log`));
    log(`started ${component} (pid ${pids[component]})`);
  };

  task.stage(1, 4, 'etcd');
  start('etcd', etcdArgs(ports.etcd));
  await waitFor200('etcd', `http://127.0.0.1:${ports.etcd}/health`, undefined, 30_000, () => isAlive(pids.etcd));
  task.stage(2, 4, 'kube-apiserver: waiting for /readyz');
  start('kube-apiserver', apiserverArgs(pki, ports, withNode));
  await waitFor200('kube-apiserver', `${server}/readyz`, adminTls(), 120_000, () => isAlive(pids['kube-apiserver']));
  writeKubeconfig(paths.kubeconfig, { server, caFile: pki.caCert, certFile: pki.adminCert, keyFile: pki.adminKey });
  task.stage(3, 4, 'kube-controller-manager');
  start('kube-controller-manager', controllerManagerArgs(pki, ports));
  await waitFor200(
    'kube-controller-manager',
    `https://127.0.0.1:${ports['kube-controller-manager']}/healthz`,
    { ca: pki.caCert },
    60_000,
    () => isAlive(pids['kube-controller-manager']),
  );
  // The serviceaccount controller creating `default` shows the controllers really run.
  await waitFor200(
    'the default ServiceAccount',
    `${server}/api/v1/namespaces/default/serviceaccounts/default`,
    adminTls(),
    60_000,
    () => isAlive(pids['kube-controller-manager']),
  );
  task.stage(4, 4, 'kube-scheduler');
  start('kube-scheduler', schedulerArgs(pki, ports));
  await waitFor200(
    'kube-scheduler',
    `https://127.0.0.1:${ports['kube-scheduler']}/healthz`,
    { ca: pki.caCert },
    60_000,
    () => isAlive(pids['kube-scheduler']),
  );
  task.done();
  linkTools(binDir);
  const state: ClusterState = { binDir, server, ports, pids, args: allArgs, nodeMissing: missing };
  // Written before the node starts, so `cluster:down` finds the control plane even if the node fails.
  writeFileSync(paths.state, JSON.stringify(state, null, 2));
  if (withNode) {
    state.node = await startNode({
      root: paths.root,
      logs: paths.logs,
      binDir,
      nodeBinDir: nodeBinDir!,
      imageDirs,
      server,
      pki,
      adminKubeconfig: paths.kubeconfig,
    });
    defaultStorage(join(binDir, 'kubectl'), paths.kubeconfig);
  }
  writeFileSync(paths.state, JSON.stringify(state, null, 2));
  log(`ready at ${server} in ${((Date.now() - started) / 1000).toFixed(1)} s; kubeconfig: ${paths.kubeconfig}`);
  return state;
}

export async function clusterDown(): Promise<void> {
  const state = readState();
  await stopAll(state);
  rmSync(paths.root, { recursive: true, force: true });
  log(state ? 'stopped and removed' : 'nothing was running; removed .cluster');
}

/** The health URL of a component, for waiting after a restart. */
function healthUrl(state: ClusterState, component: Component): { url: string; tls?: TlsFiles } {
  if (component === 'etcd') return { url: `http://127.0.0.1:${state.ports.etcd}/health` };
  if (component === 'kube-apiserver') return { url: `${state.server}/readyz`, tls: adminTls() };
  return { url: `https://127.0.0.1:${state.ports[component]}/healthz`, tls: { ca: join(paths.pki, 'ca.crt') } };
}

/** Stops one component (SIGKILL when `kill`, as a crash would) and leaves it stopped. */
export async function stopComponent(component: Component, kill = false): Promise<void> {
  const state = readState();
  if (!state) throw new Error('no local cluster');
  if (kill && isAlive(state.pids[component])) process.kill(state.pids[component], 'SIGKILL');
  await stopProcess(state.pids[component]);
}

/** Starts a stopped component again with its original flags and ports, and waits until healthy. */
export async function startComponent(component: Component): Promise<void> {
  const state = readState();
  if (!state) throw new Error('no local cluster');
  const pid = startDetached(join(state.binDir, component), state.args[component], join(paths.logs, `${component}.log`));
  state.pids[component] = pid;
  writeFileSync(paths.state, JSON.stringify(state, null, 2));
  const { url, tls } = healthUrl(state, component);
  await waitFor200(component, url, tls, 120_000, () => isAlive(pid));
}
