// The node's configuration files: each pitfall of the real-node recipe is a line here that must not regress.
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { cniConflist, containerdConfig, corefile, kubeletConfig, registryHosts, type NodeFiles } from './configs.js';
import { NODE } from './host.js';

const files: NodeFiles = {
  containerdRoot: '/c/root',
  containerdState: '/c/state',
  containerdSocket: '/c/run/containerd.sock',
  cniConfDir: '/c/cni',
  cniBinDir: '/usr/lib/cni',
  runc: '/usr/sbin/runc',
  pauseImage: 'localhost/openvox-test/pause:3.10',
  registryConfigDir: '/c/registry',
  pki: { ca: '/p/ca.crt', kubeletCert: '/p/k.crt', kubeletKey: '/p/k.key' },
  resolvConf: '/c/resolv.conf',
  kubeletHealthzPort: 12345,
};

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('node configuration', () => {
  it('puts containerd 2 socket in the grpc server plugin (a [grpc] table is silently ignored)', () => {
    const c = parseToml(containerdConfig(files)) as any;
    expect(c.version).toBe(4);
    expect(c.grpc).toBeUndefined();
    expect(c.plugins['io.containerd.server.v1.grpc'].address).toBe(files.containerdSocket);
  });

  it('restricts oom_score_adj (no CAP_SYS_RESOURCE here) and uses cgroupfs with runc', () => {
    const runtime = (parseToml(containerdConfig(files)) as any).plugins['io.containerd.cri.v1.runtime'];
    expect(runtime.restrict_oom_score_adj).toBe(true);
    expect(runtime.containerd.runtimes.runc.options).toEqual({ BinaryName: '/usr/sbin/runc', SystemdCgroup: false });
  });

  it('runs kubelet on cgroup v1 with cluster DNS on the node IP and images that are never collected', () => {
    const k = parseYaml(kubeletConfig(files));
    expect(k).toMatchObject({ failCgroupV1: false, cgroupDriver: 'cgroupfs', clusterDNS: [NODE.ip], address: NODE.ip });
    expect(k.featureGates).toEqual({ ImageVolume: true });
    expect(k.imageGCHighThresholdPercent).toBe(100);
    expect(k.resolvConf).toBe(files.resolvConf);
  });

  it('sends every image pull to a closed loopback port: nothing is pulled from outside', () => {
    const images = (parseToml(containerdConfig(files)) as any).plugins['io.containerd.cri.v1.images'];
    expect(images.registry.config_path).toBe('/c/registry');
    const hosts = parseToml(registryHosts()) as any;
    expect(hosts.server).toBe('https://127.0.0.1:9');
    expect(Object.keys(hosts.host)).toEqual(['https://127.0.0.1:9']);
  });

  it('never masquerades pod traffic', () => {
    const bridge = JSON.parse(cniConflist()).plugins[0];
    expect(bridge).toMatchObject({ type: 'bridge', ipMasq: false, bridge: NODE.cniBridge });
    expect(bridge.ipam.ranges[0][0].subnet).toBe(NODE.podCidr);
  });

  it('serves cluster.local only: CoreDNS has no forward plugin', () => {
    const text = corefile('/k/kubeconfig', 9000);
    expect(text).toContain('kubernetes cluster.local');
    expect(text).toContain(`bind ${NODE.ip}`);
    expect(text).not.toMatch(/forward|proxy/);
  });
});
