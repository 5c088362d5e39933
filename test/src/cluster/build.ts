// Runs the cached build scripts (fast when the binaries exist) under progress tasks and returns the binary
// directories; installs the node's Debian packages when they are missing. Each script's stages are the
// lines its `log` writes when it starts one (a cached build writes none of them).
import { join } from 'node:path';
import { runScript } from '../progress/script.js';
import { REPO_ROOT } from './paths.js';

const GO_HINT =
  'check that the Go module proxy answers (`go env GOPROXY`) and that the cache has room (`df -h ~/.cache`)';

/** kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet, kube-proxy, etcd, helm. */
export function buildBinaries(): Promise<string> {
  return runScript({
    task: 'kubernetes',
    script: join(REPO_ROOT, 'test', 'cluster', 'build.sh'),
    logName: 'kubernetes',
    stages: [
      { pattern: /kubernetes \S+: resolving modules/, what: 'resolving modules (first build: 15-30 min in all)' },
      { pattern: /kubernetes: compiling/, what: 'compiling kube-apiserver, kubelet and 4 more' },
      { pattern: /build: \S+ etcd v/, what: 'etcd' },
      { pattern: /build: \S+ helm v/, what: 'helm' },
      { pattern: /build: \S+ checking versions/, what: 'checking versions' },
    ],
    hint: GO_HINT,
  });
}

/** containerd (+ shim, ctr) and CoreDNS. */
export function buildNodeBinaries(): Promise<string> {
  return runScript({
    task: 'node daemons',
    script: join(REPO_ROOT, 'test', 'cluster', 'build-node.sh'),
    logName: 'node-daemons',
    stages: [
      { pattern: /build-node: \S+ containerd v/, what: 'containerd' },
      { pattern: /build-node: \S+ coredns v/, what: 'CoreDNS' },
    ],
    hint: GO_HINT,
  });
}

/** cert-manager's controller and cainjector, for the chart suites. */
export function buildCertManager(): Promise<string> {
  return runScript({
    task: 'cert-manager',
    script: join(REPO_ROOT, 'test', 'src', 'chart', 'cert-manager', 'build.sh'),
    logName: 'cert-manager',
    stages: [
      { pattern: /^cert-manager \S+: resolving modules/, what: 'resolving modules' },
      { pattern: /^cert-manager: compiling/, what: 'compiling controller and cainjector' },
    ],
    hint: GO_HINT,
  });
}

/** kube-score, the workload linter of test/src/lint/. */
export function buildKubeScore(): Promise<string> {
  return runScript({
    task: 'kube-score',
    script: join(REPO_ROOT, 'test', 'src', 'lint', 'build-kube-score.sh'),
    logName: 'kube-score',
    stages: [{ pattern: /build-kube-score: \S+ kube-score v/, what: 'go install' }],
    hint: GO_HINT,
  });
}

/** The builds `npm test` adds to the cluster's (`cli.js up --also NAME`). */
export const EXTRA_BUILDS: Record<string, () => Promise<string>> = {
  'cert-manager': buildCertManager,
  'kube-score': buildKubeScore,
};

/** runc, CNI plugins, iptables, mmdebstrap...: test/cluster/install-node-packages.sh (apt, needs root). */
export async function installNodePackages(): Promise<void> {
  await runScript({
    task: 'node packages',
    script: join(REPO_ROOT, 'test', 'cluster', 'install-node-packages.sh'),
    logName: 'node-packages',
    stages: [{ pattern: /^installing /, what: 'apt-get install' }],
    hint: 'it needs root and apt (run `apt-get update` if a package is not found)',
  });
}
