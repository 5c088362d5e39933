// `npm start`: the operator on the cluster in KUBECONFIG when it is reachable, else on a local one.
import { existsSync } from 'node:fs';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { clusterUp, type ClusterState } from '../cluster/cluster.js';
import { clusterPaths } from '../cluster/paths.js';
import { startOperator } from '../operator/operator.js';
import { SCRAPER } from '../operator/metrics-scraper.js';
import { startSummary } from './summary.js';

async function reachable(path: string): Promise<boolean> {
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const version = kc.makeApiClient(VersionApi).getCode();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000).unref());
    await Promise.race([version, timeout]);
    return true;
  } catch {
    return false;
  }
}

async function chooseCluster(): Promise<{ kubeconfig: string; cluster?: ClusterState }> {
  const given = process.env.KUBECONFIG;
  if (given && existsSync(given) && (await reachable(given))) {
    console.log(`Using the cluster in KUBECONFIG=${given}.`);
    console.log('Note: the webhook is registered at https://127.0.0.1; that API server must run on this machine.');
    return { kubeconfig: given };
  }
  if (given) console.log(`KUBECONFIG=${given} is not reachable; starting the local control plane instead.`);
  return { kubeconfig: clusterPaths.kubeconfig, cluster: await clusterUp() };
}

function serverOf(kubeconfig: string): string {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.getCurrentCluster()?.server ?? '(unknown)';
}

/** A start-up failure is its message and where to look, not a stack trace. */
async function orExit<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    console.error(`npm start: ${what} failed: ${(error as Error).message}`);
    console.error(`The cluster's logs are in ${clusterPaths.logs}; fix the cause and run npm start again.`);
    process.exit(1);
  }
}

const { kubeconfig, cluster } = await orExit('starting the cluster', chooseCluster);
// OPENVOX_START_INSTANCE names the webhook registrations and the Lease (the pty test uses its own).
const operator = await orExit('starting the operator', () =>
  startOperator({ kubeconfig, logToFiles: false, instance: process.env.OPENVOX_START_INSTANCE }),
);
const kubectl = existsSync(clusterPaths.kubectl) ? clusterPaths.kubectl : 'kubectl';
console.log(`
openvox-operator is running:
${startSummary({ operator, cluster, server: serverOf(kubeconfig) })}

In another shell:
  export KUBECONFIG=${kubeconfig}
  ${kubectl} apply -f examples/
  ${kubectl} get openvox            # every kind, with its columns
  ${kubectl} get pods -w          # the CA Server's pod: Running, then Ready in about a minute
  ${kubectl} explain server.spec.pdb
  curl -H "Authorization: Bearer $(${kubectl} create token ${SCRAPER.name} -n ${SCRAPER.namespace})" ${operator.controllerUrl ?? 'http://127.0.0.1:PORT'}/metrics

Ctrl-C stops the operator (the local cluster keeps running; \`npm run cluster:down\` removes it).
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the operator ...');
    operator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
