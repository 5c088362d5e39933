// A private mount + network namespace that lets the Debian puppetserver see the pod's filesystem
// layout (/etc/puppetlabs, /opt/puppetlabs, ...) through bind mounts, so the operator's files are used
// byte for byte, and that has only its own loopback interface, so the operator's `ssl-host 0.0.0.0`
// and port 8140 stay invisible to the machine. A `sleep` holds the namespaces; commands enter them
// with nsenter. Needs root (unshare --mount --net).
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface PodNamespace {
  /** PID of the process holding the namespaces. */
  pid: number;
  /** Spawns argv inside the namespaces. */
  spawn(argv: string[], options?: SpawnOptions): ChildProcess;
  stop(): void;
}

// Binds are passed as positional arguments, never interpolated into the script.
const SETUP = [
  'set -eu',
  'ip link set lo up',
  'while [ "$#" -ge 2 ]; do mkdir -p "$2"; mount --bind "$1" "$2"; shift 2; done',
  'echo ready',
  'exec sleep infinity',
].join('\n');

/** Mount points created on the host (empty directories) so they can be removed afterwards. */
function missing(paths: string[]): string[] {
  return paths.filter((p) => spawnSync('test', ['-e', p]).status !== 0);
}

export async function startPodNamespace(
  binds: [source: string, target: string][],
  timeoutMs = 10_000,
): Promise<PodNamespace> {
  const created = missing(binds.map(([, target]) => target));
  const holder = spawn(
    'unshare',
    ['--mount', '--net', '--fork', '--kill-child', '--', '/bin/sh', '-c', SETUP, 'sh', ...binds.flat()],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  holder.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`namespace not ready: ${stderr}`)), timeoutMs);
    holder.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    holder.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`unshare exited ${code}: ${stderr}`));
    });
  });
  // The sleep is unshare's only child.
  const children = readFileSync(`/proc/${holder.pid}/task/${holder.pid}/children`, 'utf8').trim().split(/\s+/);
  const pid = Number(children[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('could not find the namespace holder process');
  return {
    pid,
    spawn: (argv, options) => spawn('nsenter', [`--target=${pid}`, '--mount', '--net', '--', ...argv], options ?? {}),
    stop: () => {
      // unshare --fork does not die on SIGTERM; ending its only child (the sleep) ends it.
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      // Only the empty mount points this created on the host; deepest first.
      for (const dir of created.sort((a, b) => b.length - a.length)) {
        try {
          rmdirSync(dir);
        } catch {
          // not empty or already gone: leave it
        }
      }
    },
  };
}

/**
 * Mirrors `source` into `target` as absolute symlinks (directories recreated, everything else linked
 * to its real path). The Debian JRuby directories are full of relative symlinks, which would dangle
 * if the directories were bind-mounted at the image's /opt/puppetlabs paths.
 */
export function mirrorWithLinks(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) mirrorWithLinks(from, to);
    else symlinkSync(realpathSync(from), to);
  }
}
