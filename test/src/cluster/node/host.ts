// The node's place on this machine: a local-only bridge with the node IP, the pod network's bridge,
// and a firewall chain that keeps pod traffic on the node. Everything here is undone by teardown.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const NODE = {
  name: 'openvox-node',
  /** kubelet rejects a loopback node IP, and this VM has no `dummy` links: a bridge with a /32. */
  ip: '10.213.0.1',
  bridge: 'openvox0',
  /** The CNI bridge the pods hang off (host-local IPAM in podCidr). */
  cniBridge: 'openvox-cni0',
  podCidr: '10.214.0.0/16',
  serviceCidr: '10.0.0.0/24',
  clusterDomain: 'cluster.local',
  /** Our FORWARD rules live in one chain so teardown removes them with a single jump. */
  chain: 'OPENVOX-NODE',
} as const;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[]): Run {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error?.message ?? '') };
}

function must(command: string, args: string[]): string {
  const r = run(command, args);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

/** Creates the node bridge and the pod firewall; remembers ip_forward (the CNI bridge plugin turns it on). */
export function setupHostNetwork(ipForwardFile: string): void {
  if (!existsSync(ipForwardFile)) writeFileSync(ipForwardFile, readFileSync(IP_FORWARD, 'utf8'));
  if (run('ip', ['link', 'show', NODE.bridge]).code !== 0) {
    must('ip', ['link', 'add', NODE.bridge, 'type', 'bridge']);
    must('ip', ['addr', 'add', `${NODE.ip}/32`, 'dev', NODE.bridge]);
  }
  must('ip', ['link', 'set', NODE.bridge, 'up']);
  // Pods reach the node (INPUT) and each other (on the CNI bridge); anything forwarded elsewhere is dropped,
  // whatever the machine's uplink is called. Pod IPs are never masqueraded (CNI ipMasq false).
  if (run('iptables', ['-n', '-L', NODE.chain]).code !== 0) must('iptables', ['-N', NODE.chain]);
  must('iptables', ['-F', NODE.chain]);
  must('iptables', ['-A', NODE.chain, '-s', NODE.podCidr, '!', '-o', NODE.cniBridge, '-j', 'DROP']);
  must('iptables', ['-A', NODE.chain, '-d', NODE.podCidr, '!', '-i', NODE.cniBridge, '-j', 'DROP']);
  if (run('iptables', ['-C', 'FORWARD', '-j', NODE.chain]).code !== 0)
    must('iptables', ['-I', 'FORWARD', '1', '-j', NODE.chain]);
}

/** Dropped packets per rule of our chain (pod traffic that tried to leave the node). */
export function droppedPackets(): number {
  const r = run('iptables', ['-n', '-v', '-x', '-L', NODE.chain]);
  if (r.code !== 0) return 0;
  return r.stdout
    .split('\n')
    .slice(2)
    .map((line) => Number(line.trim().split(/\s+/)[0]) || 0)
    .reduce((a, b) => a + b, 0);
}

/** Removes mounts below the given roots, deepest first (kubelet and containerd leave many). */
export function unmountBelow(roots: string[]): number {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .map((p) => p.replace(/\\040/g, ' '))
    .filter((p) => roots.some((root) => p === root || p.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) run('umount', ['-l', m]);
  return mounts.length;
}

/** Deletes the kube-proxy and CNI chains of every table, after removing the rules that jump to them. */
function removeChains(prefixes: RegExp): void {
  for (const table of ['filter', 'nat', 'mangle']) {
    const rules = run('iptables', ['-t', table, '-S']).stdout.split('\n');
    const chains = rules
      .filter((r) => r.startsWith('-N '))
      .map((r) => r.slice(3).trim())
      .filter((c) => prefixes.test(c));
    if (!chains.length) continue;
    // Jumps are removed by rule number (their comments hold spaces), last first so numbers stay valid.
    const parents = new Set(rules.filter((r) => r.startsWith('-A ')).map((r) => r.split(' ')[1]!));
    for (const parent of parents) {
      const listed = run('iptables', ['-t', table, '-n', '-L', parent, '--line-numbers']).stdout.split('\n').slice(2);
      const numbers = listed
        .map((line) => line.trim().split(/\s+/))
        .filter(([num, target]) => num && target && chains.includes(target))
        .map(([num]) => Number(num))
        .sort((x, y) => y - x);
      for (const n of numbers) run('iptables', ['-t', table, '-D', parent, String(n)]);
    }
    for (const chain of chains) run('iptables', ['-t', table, '-F', chain]);
    for (const chain of chains) run('iptables', ['-t', table, '-X', chain]);
  }
}

/** Undoes setupHostNetwork and what CNI and kube-proxy added; restores ip_forward. */
export function teardownHostNetwork(ipForwardFile: string): void {
  for (const ns of run('ip', ['netns', 'list']).stdout.split('\n')) {
    const name = ns.split(' ')[0];
    if (name?.startsWith('cni-')) run('ip', ['netns', 'delete', name]);
  }
  run('ip', ['link', 'delete', NODE.cniBridge]);
  removeChains(/^(KUBE-|CNI-)/);
  while (run('iptables', ['-D', 'FORWARD', '-j', NODE.chain]).code === 0);
  run('iptables', ['-F', NODE.chain]);
  run('iptables', ['-X', NODE.chain]);
  run('ip', ['link', 'delete', NODE.bridge]);
  if (existsSync(ipForwardFile)) writeFileSync(IP_FORWARD, readFileSync(ipForwardFile, 'utf8'));
}
