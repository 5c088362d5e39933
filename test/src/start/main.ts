// `npm start`: the operator on the cluster in KUBECONFIG when it is reachable, else on a local one.
import { existsSync } from 'node:fs';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { clusterUp } from '../cluster/cluster.js';
import { clusterPaths } from '../cluster/paths.js';
import { startOperator } from '../operator/operator.js';
import { SCRAPER } from '../operator/metrics-scraper.js';

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

async function chooseCluster(): Promise<string> {
  const given = process.env.KUBECONFIG;
  if (given && existsSync(given) && (await reachable(given))) {
    console.log(`Using the cluster in KUBECONFIG=${given}.`);
    console.log('Note: the webhook is registered at https://127.0.0.1; that API server must run on this machine.');
    return given;
  }
  if (given) console.log(`KUBECONFIG=${given} is not reachable; starting the local control plane instead.`);
  await clusterUp();
  return clusterPaths.kubeconfig;
}

const kubeconfig = await chooseCluster();
const operator = await startOperator({ kubeconfig, logToFiles: false });
const kubectl = existsSync(clusterPaths.kubectl) ? clusterPaths.kubectl : 'kubectl';
console.log(`
openvox-operator is running.
  webhook:    ${operator.webhookUrl}
  controller: ${operator.controllerUrl ?? '(not built yet)'}

In another shell:
  export KUBECONFIG=${kubeconfig}
  ${kubectl} apply -f examples/
  ${kubectl} get servers
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
