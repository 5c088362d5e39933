// Runs the operator against a cluster from outside it: CRDs, the webhook on 127.0.0.1 with a fresh
// serving certificate, its registrations, and the controller. Used by `npm start` and the e2e setup.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { REPO_ROOT, clusterPaths } from '../cluster/paths.js';
import { freePort } from '../cluster/processes.js';
import { waitFor200 } from '../cluster/health.js';
import { installCrds } from './crds.js';
import { startNodeChild, type Child } from './children.js';
import { startWebhookChild, writeServingCertificate } from './webhook-process.js';
import { mutatingConfiguration, validatingConfiguration } from './webhook-configurations.js';
import { grantMetricsScraper } from './metrics-scraper.js';

export interface OperatorState {
  webhookUrl: string;
  webhookCaFile: string;
  controllerUrl?: string;
  /** The controller's 127.0.0.1 debug port (POST /debug/resync), which the runner turns on. */
  debugUrl?: string;
  /** Bearer token of a ServiceAccount allowed to get /metrics (metrics-scraper.ts). */
  metricsToken?: string;
  logs: { webhook?: string; controller?: string };
  /** Process ids and the controller's arguments, so a fault test can kill and restart a process. */
  pids: { webhook: number; controller?: number };
  /** How often the runner started a process again after it exited on its own (a crash, lost leadership). */
  restarts: { controller: number };
  controllerArgs?: string[];
}

export interface RunningOperator extends OperatorState {
  stop(): Promise<void>;
}

export interface OperatorOptions {
  kubeconfig: string;
  /** Write logs to files under .cluster/logs instead of this terminal. */
  logToFiles: boolean;
  /**
   * Names this run's webhook registrations, Lease, state file and logs. `npm start` keeps the default
   * so a crashed run's registrations are replaced by the next start; test runs pass a unique one.
   */
  instance?: string;
}

/** Where a run's state (URLs, CA file, log files) is written; tests find it through the env var. */
export function operatorStatePath(instance = 'local'): string {
  return join(clusterPaths.root, `operator-${instance}.json`);
}

const CONTROLLER_MAIN = join(REPO_ROOT, 'controller', 'dist', 'main.js');

export async function startOperator(options: OperatorOptions): Promise<RunningOperator> {
  const kc = new KubeConfig();
  kc.loadFromFile(options.kubeconfig);
  await installCrds(kc);

  mkdirSync(clusterPaths.logs, { recursive: true });
  const instance = options.instance ?? 'local';
  const logFile = (name: string) =>
    options.logToFiles ? join(clusterPaths.logs, `${name}-${instance}.log`) : undefined;
  const children: Child[] = [];
  const api = KubernetesObjectApi.makeApiClient(kc);
  const registrations: { apiVersion: string; kind: string; metadata: { name: string } }[] = [];

  const stop = async () => {
    // Unregister first: a Fail-policy webhook that is gone would block every Server write.
    for (const reg of registrations) await api.delete(reg).catch(() => undefined);
    for (const child of children.reverse()) await child.stop();
  };

  try {
    const tls = await writeServingCertificate(join(clusterPaths.root, `webhook-tls-${instance}`));
    const webhookPort = await freePort();
    const webhookUrl = `https://127.0.0.1:${webhookPort}`;
    const webhook = await startWebhookChild({
      port: webhookPort,
      tls,
      kubeconfig: options.kubeconfig,
      logFile: logFile('webhook'),
    });
    children.push(webhook);

    for (const config of [
      mutatingConfiguration(webhookUrl, tls.caPem, { name: `openvox-operator-${instance}` }),
      validatingConfiguration(webhookUrl, tls.caPem, { name: `openvox-operator-${instance}` }),
    ]) {
      await api.patch(config, undefined, undefined, 'openvox-operator-installer', true, PatchStrategy.ServerSideApply);
      registrations.push({
        apiVersion: config.apiVersion!,
        kind: config.kind!,
        metadata: { name: config.metadata!.name! },
      });
    }

    let controllerUrl: string | undefined;
    let debugUrl: string | undefined;
    let metricsToken: string | undefined;
    let controllerArgs: string[] | undefined;
    let controllerPid: number | undefined;
    if (existsSync(CONTROLLER_MAIN)) {
      const port = await freePort();
      const debugPort = await freePort();
      controllerUrl = `http://127.0.0.1:${port}`;
      debugUrl = `http://127.0.0.1:${debugPort}`;
      metricsToken = await grantMetricsScraper(kc);
      controllerArgs = [
        CONTROLLER_MAIN,
        '--kubeconfig',
        options.kubeconfig,
        '--port',
        String(port),
        '--bind-address',
        '127.0.0.1',
        '--debug-port',
        String(debugPort),
        '--leader-election-namespace',
        'default',
        '--leader-election-id',
        `openvox-operator-${instance}`,
      ];
      // A controller that lost its lease exits by design; the runner starts it again as a Deployment would.
      const controller = startNodeChild(
        'controller',
        controllerArgs[0]!,
        controllerArgs.slice(1),
        logFile('controller'),
        [],
        {
          onRestart: (child, restarts) =>
            updateState(instance, (s) => ({
              ...s,
              pids: { ...s.pids, controller: child.pid },
              restarts: { controller: restarts },
            })),
        },
      );
      controllerPid = controller.process.pid;
      children.push(controller);
      await waitFor200(
        'controller',
        `${controllerUrl}/healthz`,
        undefined,
        30_000,
        () => controller.process.exitCode === null,
      );
    }

    const state: OperatorState = {
      webhookUrl,
      webhookCaFile: tls.ca,
      controllerUrl,
      debugUrl,
      metricsToken,
      logs: { webhook: logFile('webhook'), controller: controllerUrl ? logFile('controller') : undefined },
      pids: { webhook: webhook.process.pid!, controller: controllerPid },
      restarts: { controller: 0 },
      controllerArgs,
    };
    // 0600: it holds the scraper's token.
    writeFileSync(operatorStatePath(instance), JSON.stringify(state, null, 2), { mode: 0o600 });
    return { ...state, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function updateState(instance: string, change: (state: OperatorState) => OperatorState): void {
  const path = operatorStatePath(instance);
  if (existsSync(path)) writeFileSync(path, JSON.stringify(change(JSON.parse(readFileSync(path, 'utf8'))), null, 2));
}
