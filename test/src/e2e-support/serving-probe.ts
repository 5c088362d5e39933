// Watches whether one pod still accepts new connections: an HTTPS GET on its pod IP every 250 ms, each on
// a fresh connection (a kept-alive one would outlive a closed listener). The node reaches pod IPs
// directly, as the kubelet's probes do. It tells how long a pod kept serving after it left its Service.
import { request } from 'node:https';

export interface ServingProbe {
  /** Unix ms of the last request answered with 200, or undefined. */
  lastServed(): number | undefined;
  stop(): void;
}

const INTERVAL_MS = 250;
const TIMEOUT_MS = 2_000;

function answers(ip: string, port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    // The pod's serving certificate is not what this checks: only that the listener accepts and answers.
    const req = request(
      { host: ip, port, path, agent: false, rejectUnauthorized: false, timeout: TIMEOUT_MS },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export function probeServing(ip: string, port: number, path: string): ServingProbe {
  let last: number | undefined;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const started = Date.now();
      if (await answers(ip, port, path)) last = started;
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
    }
  };
  void loop();
  return {
    lastServed: () => last,
    stop: () => {
      stopped = true;
    },
  };
}
