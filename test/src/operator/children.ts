// Child processes of the operator runner: started with this Node (24), stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Child {
  name: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node <script> ...args`; output goes to `logFile`, or to this terminal when none is given. */
export function startNodeChild(
  name: string,
  script: string,
  args: string[],
  logFile?: string,
  nodeArgs: string[] = [],
): Child {
  const out = logFile ? openSync(logFile, 'a') : 'inherit';
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
