// Runs the cached build scripts (fast when the binaries exist) and returns the binary directories;
// installs the node's Debian packages when they are missing.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

function runBuildScript(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // stderr carries the build's progress output straight to the user.
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const dir = out.trim().split('\n').pop();
      if (code === 0 && dir) resolve(dir);
      else reject(new Error(`${script} failed with exit code ${code}`));
    });
  });
}

/** kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet, kube-proxy, etcd, helm. */
export function buildBinaries(): Promise<string> {
  return runBuildScript(join(REPO_ROOT, 'test', 'cluster', 'build.sh'));
}

/** containerd (+ shim, ctr) and CoreDNS. */
export function buildNodeBinaries(): Promise<string> {
  return runBuildScript(join(REPO_ROOT, 'test', 'cluster', 'build-node.sh'));
}

/** runc, CNI plugins, iptables, mmdebstrap...: test/cluster/install-node-packages.sh (apt, needs root). */
export function installNodePackages(): void {
  const r = spawnSync('bash', [join(REPO_ROOT, 'test', 'cluster', 'install-node-packages.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error('test/cluster/install-node-packages.sh failed (it needs root and apt)');
}
