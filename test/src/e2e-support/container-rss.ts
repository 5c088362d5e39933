// Resident memory of a pod's container as the node sees it: the container's main process (found through
// containerd's task list by the container ID the kubelet reports) and its VmRSS in /proc.
import { readFileSync } from 'node:fs';
import { run } from '../cluster/node/host.js';
import { nodeCtr } from '../chart/operator-image.js';
import type { Obj } from './objects.js';

/** PIDs of containerd's running tasks by container ID. */
function taskPids(): Map<string, number> {
  const { ctr, socket } = nodeCtr();
  const r = run(ctr, ['-a', socket, '-n', 'k8s.io', 'tasks', 'ls']);
  if (r.code !== 0) throw new Error(`ctr tasks ls failed: ${r.stderr}`);
  // TASK PID STATUS
  return new Map(
    r.stdout
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length >= 3 && f[2] === 'RUNNING')
      .map((f) => [f[0]!, Number(f[1])]),
  );
}

/** RSS in MiB of the named container of a pod. */
export function containerRssMiB(pod: Obj, container: string): number {
  const status = (pod.status?.containerStatuses ?? []).find((s: Obj) => s.name === container);
  const id = String(status?.containerID ?? '').replace(/^containerd:\/\//, '');
  const pid = taskPids().get(id);
  if (!pid) throw new Error(`no running task for ${pod.metadata.name}/${container} (${id || 'no container ID'})`);
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kib) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kib) / 1024;
}
