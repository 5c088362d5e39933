// Extra controller replicas a fault test starts beside the run's own: same flags, own port and log.
import { join } from 'node:path';
import { clusterPaths } from '../cluster/paths.js';
import { freePort } from '../cluster/processes.js';
import { startNodeChild, type Child } from '../operator/children.js';
import { controllerArgsWith, isLeader } from './operator-control.js';
import { until } from './poll.js';

export interface Replica {
  child: Child;
  url: string;
  logFile: string;
}

/** A controller with the run's flags, `overrides` replaced (e.g. its Lease), logging to `{name}-{ns}.log`. */
export async function startReplica(name: string, ns: string, overrides: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const [script, ...args] = controllerArgsWith({ ...overrides, port: String(port) });
  const logFile = join(clusterPaths.logs, `${name}-${ns}.log`);
  const child = startNodeChild(name, script!, args, logFile);
  return { child, url: `http://127.0.0.1:${port}`, logFile };
}

/** Waits until exactly one of `replicas` leads, and returns it. */
export function oneLeader(replicas: Replica[]): Promise<Replica> {
  return until('one replica to lead', async () => {
    const leading = [];
    for (const r of replicas) if (await isLeader(r.url)) leading.push(r);
    return leading.length === 1 && leading[0];
  });
}
