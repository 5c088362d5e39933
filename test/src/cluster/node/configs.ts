// The node daemons' configuration files, as typed objects serialised by the matching library.
import { stringify as toToml } from 'smol-toml';
import { stringify as toYaml } from 'yaml';
import { NODE } from './host.js';

export interface NodeFiles {
  /** containerd's root, state and socket. */
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  cniConfDir: string;
  cniBinDir: string;
  runc: string;
  pauseImage: string;
  /** containerd's registry hosts directory (see registryHosts). */
  registryConfigDir: string;
  pki: { ca: string; kubeletCert: string; kubeletKey: string };
  resolvConf: string;
  kubeletHealthzPort: number;
}

/** containerd 2 (config version 4). The socket lives in the grpc server plugin: a [grpc] table is ignored. */
export function containerdConfig(f: NodeFiles): string {
  return toToml({
    version: 4,
    root: f.containerdRoot,
    state: f.containerdState,
    plugins: {
      'io.containerd.server.v1.grpc': { address: f.containerdSocket },
      'io.containerd.server.v1.ttrpc': { address: `${f.containerdSocket}.ttrpc` },
      'io.containerd.cri.v1.images': {
        snapshotter: 'overlayfs',
        pinned_images: { sandbox: f.pauseImage },
        // Nothing can be pulled here: images are imported, and a Server naming another image fails fast.
        image_pull_progress_timeout: '10s',
        registry: { config_path: f.registryConfigDir },
      },
      'io.containerd.cri.v1.runtime': {
        // This VM lacks CAP_SYS_RESOURCE: oom_score_adj may only be raised, never set below the parent's.
        restrict_oom_score_adj: true,
        containerd: {
          default_runtime_name: 'runc',
          runtimes: {
            runc: {
              runtime_type: 'io.containerd.runc.v2',
              options: { BinaryName: f.runc, SystemdCgroup: false },
            },
          },
        },
        cni: { bin_dirs: [f.cniBinDir], conf_dir: f.cniConfDir },
      },
    },
  });
}

/**
 * `_default/hosts.toml`: every registry resolves to a closed port on the loopback, so a pod naming an
 * image that was not imported fails at once (ErrImagePull, connection refused) and no pull ever tries
 * to leave the machine.
 */
export const NO_REGISTRY = 'https://127.0.0.1:9';
export function registryHosts(): string {
  return toToml({ server: NO_REGISTRY, host: { [NO_REGISTRY]: { capabilities: ['pull', 'resolve'] } } });
}

/** One bridge, host-local IPAM, no masquerading: pod traffic never leaves the node (see host.ts). */
export function cniConflist(): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'openvox-node',
      plugins: [
        {
          type: 'bridge',
          bridge: NODE.cniBridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: NODE.podCidr }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

export function kubeletConfig(f: NodeFiles): string {
  return toYaml({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // This machine has cgroup v1 (hybrid); kubelet 1.35 refuses it unless told otherwise.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${f.containerdSocket}`,
    address: NODE.ip,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: f.kubeletHealthzPort,
    tlsCertFile: f.pki.kubeletCert,
    tlsPrivateKeyFile: f.pki.kubeletKey,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: f.pki.ca } },
    authorization: { mode: 'AlwaysAllow' },
    rotateCertificates: false,
    serverTLSBootstrap: false,
    clusterDomain: NODE.clusterDomain,
    clusterDNS: [NODE.ip],
    // Host-network pods and the upstream of nothing: a file with only the pod's own loopback.
    resolvConf: f.resolvConf,
    // Images are imported, not pulled: they must never be garbage-collected; no eviction on a shared disk.
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    featureGates: { ImageVolume: true },
    podPidsLimit: -1,
    maxPods: 40,
    registerNode: true,
    // Fast feedback in tests: status every 4 s instead of 10 s.
    nodeStatusUpdateFrequency: '4s',
    syncFrequency: '10s',
  });
}

export function kubeProxyConfig(kubeconfig: string, healthzPort: number, metricsPort: number): string {
  return toYaml({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig },
    hostnameOverride: NODE.name,
    mode: 'iptables',
    clusterCIDR: NODE.podCidr,
    bindAddress: '127.0.0.1',
    healthzBindAddress: `127.0.0.1:${healthzPort}`,
    metricsBindAddress: `127.0.0.1:${metricsPort}`,
    conntrack: { maxPerCore: 0 },
  });
}

/**
 * CoreDNS answers cluster.local (and reverse lookups of the pod and service ranges) from the API and
 * nothing else: no forward plugin, so no query ever leaves the machine; other names are REFUSED.
 */
export function corefile(kubeconfig: string, healthPort: number): string {
  const block = [
    'cluster.local:53 in-addr.arpa:53 {',
    `  bind ${NODE.ip}`,
    '  errors',
    `  health 127.0.0.1:${healthPort}`,
    '  kubernetes cluster.local in-addr.arpa {',
    `    kubeconfig ${kubeconfig}`,
    '    pods insecure',
    '  }',
    '  cache 5',
    '}',
  ];
  return `${block.join('\n')}\n`;
}
