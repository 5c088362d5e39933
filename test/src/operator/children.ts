// Child processes of the operator runner: started with this Node (24), stopped with SIGTERM, and, when
// asked, started again after an exit nobody asked for, with backoff, as a Deployment's container would be.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Child {
  name: string;
  /** The current process; a new one after each restart. */
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** Called with each new process once it is spawned. */
  onRestart: (process: ChildProcess, restarts: number) => void;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;
/** A run this long resets the backoff, as the kubelet does after a container ran for a while. */
const STABLE_RUN_MS = 60_000;

/** Starts `node <script> ...args`; output goes to `logFile`, or to this terminal when none is given. */
export function startNodeChild(
  name: string,
  script: string,
  args: string[],
  logFile?: string,
  nodeArgs: string[] = [],
  restart?: RestartPolicy,
): Child {
  const out = logFile ? openSync(logFile, 'a') : 'inherit';
  const launch = () => spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', out, out] });
  let current = launch();
  let stopping = false;
  let restarts = 0;
  let backoff = MIN_BACKOFF_MS;

  const supervise = (child: ChildProcess, startedAt: number) => {
    child.once('exit', (code, signal) => {
      if (stopping || !restart) return;
      backoff = Date.now() - startedAt > STABLE_RUN_MS ? MIN_BACKOFF_MS : backoff;
      const delay = backoff;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      console.error(`${name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      setTimeout(() => {
        if (stopping) return;
        current = launch();
        restarts += 1;
        supervise(current, Date.now());
        restart.onRestart(current, restarts);
      }, delay).unref();
    });
  };
  supervise(current, Date.now());

  return {
    name,
    get process() {
      return current;
    },
    async stop() {
      stopping = true;
      const child = current;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
