// The local control plane: etcd, kube-apiserver and kube-controller-manager on 127.0.0.1.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBinaries } from './build.js';
import { clusterPaths as paths } from './paths.js';
import { writeClusterPki, type ClusterPki } from './pki.js';
import { freePort, isAlive, startDetached, stopProcess } from './processes.js';
import { getStatus, waitFor200, type TlsFiles } from './health.js';
import { writeKubeconfig } from './kubeconfig.js';

const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;
type Component = (typeof COMPONENTS)[number];

export interface ClusterState {
  binDir: string;
  server: string;
  ports: Record<Component, number>;
  pids: Record<Component, number>;
  /** Kept so a fault test can restart one component exactly as it was started. */
  args: Record<Component, string[]>;
}

function log(message: string): void {
  process.stderr.write(`cluster: ${message}\n`);
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
  return (await getStatus(`${state.server}/readyz`, adminTls())) === 200;
}

async function stopAll(state: ClusterState | undefined): Promise<void> {
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

function apiserverArgs(pki: ClusterPki, ports: Record<Component, number>): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports['kube-apiserver']}`,
    `--cert-dir=${pki.certDir}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-issuer=https://127.0.0.1:${ports['kube-apiserver']}/`,
    `--service-account-key-file=${pki.saPublic}`,
    `--service-account-signing-key-file=${pki.saPrivate}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    '--feature-gates=ImageVolume=true',
  ];
}

function controllerManagerArgs(pki: ClusterPki, ports: Record<Component, number>): string[] {
  return [
    `--kubeconfig=${paths.kubeconfig}`,
    `--authentication-kubeconfig=${paths.kubeconfig}`,
    `--authorization-kubeconfig=${paths.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports['kube-controller-manager']}`,
    `--tls-cert-file=${join(pki.certDir, 'apiserver.crt')}`,
    `--tls-private-key-file=${join(pki.certDir, 'apiserver.key')}`,
    '--leader-elect=false',
    `--service-account-private-key-file=${pki.saPrivate}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--controllers=*',
  ];
}

function linkTools(binDir: string): void {
  mkdirSync(paths.bin, { recursive: true });
  for (const tool of ['kubectl', 'helm']) {
    rmSync(join(paths.bin, tool), { force: true });
    symlinkSync(join(binDir, tool), join(paths.bin, tool));
  }
}

export async function clusterUp(): Promise<ClusterState> {
  const binDir = await buildBinaries();
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
  const pki = await writeClusterPki(paths.pki);
  const ports = {
    etcd: await freePort(),
    'kube-apiserver': await freePort(),
    'kube-controller-manager': await freePort(),
  };
  const server = `https://127.0.0.1:${ports['kube-apiserver']}`;
  const pids = {} as Record<Component, number>;
  const allArgs = {} as Record<Component, string[]>;
  const start = (component: Component, args: string[]) => {
    allArgs[component] = args;
    pids[component] = startDetached(join(binDir, component), args, join(paths.logs, `${component}.log`));
    log(`started ${component} (pid ${pids[component]})`);
  };

  start('etcd', etcdArgs(ports.etcd));
  await waitFor200('etcd', `http://127.0.0.1:${ports.etcd}/health`, undefined, 30_000, () => isAlive(pids.etcd));
  start('kube-apiserver', apiserverArgs(pki, ports));
  await waitFor200('kube-apiserver', `${server}/readyz`, adminTls(), 120_000, () => isAlive(pids['kube-apiserver']));
  writeKubeconfig(paths.kubeconfig, { server, caFile: pki.caCert, certFile: pki.adminCert, keyFile: pki.adminKey });
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
  linkTools(binDir);
  const state: ClusterState = { binDir, server, ports, pids, args: allArgs };
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
