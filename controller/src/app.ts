// Assembles the controller from its parts; main.ts adds the process concerns (signals, exit codes).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { realClock, type Clock } from './kube/clock.js';
import { createHttpServer } from './http.js';
import { createDebugServer, DEBUG_BIND_ADDRESS } from './debug-http.js';
import { ApiAccessReviewer } from './kube/access-review.js';
import { createTokenAuthorizer } from './kube/token-auth.js';
import { loadKubeConfig, RestClient } from './kube/client.js';
import { ApiEventRecorder } from './kube/events.js';
import { LeaderFence } from './kube/fence.js';
import { LeaderElector } from './kube/leader.js';
import { Manager, type ControllerDeps } from './kube/manager.js';
import { DEFAULT_KEY_ALGORITHM, type KeyAlgorithm } from '@openvox/shared/runtime';
import { createMetrics } from './kube/metrics.js';
import { createServerController } from './server/controller.js';
import { createConfigController } from './config/controller.js';
import { createCertificateAuthorityController } from './certificate-authority/controller.js';
import { createCertificateController } from './certificate/controller.js';
import { createPoolController } from './pool/controller.js';
import { createDatabaseController } from './database/controller.js';
import { createSigningPolicyController } from './signing-policy/controller.js';
import { createAgentCertificateController } from './agent-certificate/controller.js';
import { createNodeClassifierController } from './node-classifier/controller.js';
import { createReportProcessorController } from './report-processor/controller.js';
import type { Settings } from './settings.js';

export interface App {
  manager: Manager;
  http: HttpServer;
  leader?: LeaderElector;
  port: number;
  /** Port of the 127.0.0.1 debug server, when --debug-port was given. */
  debugPort?: number;
  stop(): Promise<void>;
}

export interface ControllerOptions {
  /** Key algorithm of new CA and server keys; RSA 4096 unless a test asks for speed. */
  keyAlgorithm?: KeyAlgorithm;
  /** Where the kinds' own metrics go (the CA's CRL series); none when absent. */
  registry?: Registry;
  /** How often each CA Server's certificate list is read for its AgentCertificates. */
  agentCertificatePollMs?: number;
}

/** The composition root of the kinds: every controller, each given the same dependencies. */
export function registerControllers(mgr: Manager, deps: ControllerDeps, options: ControllerOptions = {}): void {
  const keyAlgorithm = options.keyAlgorithm ?? DEFAULT_KEY_ALGORITHM;
  mgr.register(createServerController(mgr, deps));
  mgr.register(createConfigController(mgr, deps));
  mgr.register(
    createCertificateAuthorityController(mgr, {
      ...deps,
      keyAlgorithm,
      ...(options.registry ? { registry: options.registry } : {}),
    }),
  );
  mgr.register(createCertificateController(mgr, { ...deps, keyAlgorithm }));
  mgr.register(createPoolController(mgr, deps));
  mgr.register(createDatabaseController(mgr, deps));
  mgr.register(createSigningPolicyController(mgr, deps));
  mgr.register(
    createAgentCertificateController(mgr, {
      ...deps,
      ...(options.agentCertificatePollMs ? { pollIntervalMs: options.agentCertificatePollMs } : {}),
    }),
  );
  mgr.register(createNodeClassifierController(mgr, deps));
  mgr.register(createReportProcessorController(mgr, deps));
}

/** A full GC on demand, for the debug port's memory report only (gc() is not exposed otherwise). */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function startApp(
  settings: Settings,
  logger: Logger,
  clock: Clock = realClock,
  onLostLeadership?: () => void,
): Promise<App> {
  const connection = await loadKubeConfig(settings.kubeconfig);
  const registry = new Registry();
  // The event-loop delay histogram samples on a timer: at prom-client's default 10 ms it wakes an idle
  // process 100 times a second; once a second still shows a blocked loop.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
  const metrics = createMetrics(registry);
  const identity = `${process.env.POD_NAME ?? hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const userAgent = `openvox-operator-controller/${identity}`;
  let leader: LeaderElector | undefined;
  // Lost leadership closes the fence for good: in-flight requests abort, no write is sent again, and the
  // process exits (onLostLeadership) to come back as a follower with fresh state, as controller-runtime does.
  const fence = settings.leaderElect
    ? new LeaderFence({ holdsLease: () => leader?.holdsLease() ?? false }, (reason) => {
        metrics.isLeader.set(0);
        manager.stopWorkers();
        logger.error({ identity, reason }, 'lost leadership: no more writes');
        onLostLeadership?.();
      })
    : undefined;
  const client = new RestClient(connection, {
    onWrite: (verb, kind) => metrics.apiWrites.inc({ verb, kind }),
    userAgent,
    ...(fence ? { fence } : {}),
  });
  const manager = new Manager({
    connection,
    client,
    logger,
    clock,
    metrics,
    concurrency: settings.concurrency,
    resyncMs: settings.resyncSeconds * 1000,
    watchTimeoutSeconds: settings.watchTimeoutSeconds,
    namespaces: settings.watchNamespaces,
    ...(settings.controllers.length ? { enabled: (name: string) => settings.controllers.includes(name) } : {}),
  });
  const recorder = new ApiEventRecorder(client, clock, logger);
  registerControllers(
    manager,
    { client, recorder, clock, logger },
    { registry, agentCertificatePollMs: settings.agentCertificatePollSeconds * 1000 },
  );

  // Its own client: reviews are not writes (no write metric, no lease fence: a follower serves metrics too,
  // and no identity User-Agent, so audit counts of a replica's writes never see a scrape), and /metrics
  // must not wait long behind a slow API server.
  const reviewer = new ApiAccessReviewer(new RestClient(connection, { timeoutMs: 5000 }));
  const http = createHttpServer({
    registry,
    ready: () => manager.hasSynced(),
    authorizeMetrics: createTokenAuthorizer({ reviewer, clock, logger, path: '/metrics', verb: 'get' }),
  });
  const port = await listen(http, settings.port, settings.bindAddress);
  logger.info({ port, bindAddress: settings.bindAddress }, 'http listening');

  let debug: HttpServer | undefined;
  let debugPort: number | undefined;
  if (settings.debugPort !== undefined) {
    debug = createDebugServer({
      resync: async () => {
        if (!manager.isWorking()) return false;
        manager.resync();
        await manager.idle();
        return true;
      },
      memory: (gc) => {
        if (gc) fullGc();
        return {
          process: process.memoryUsage(),
          heapSpaces: getHeapSpaceStatistics().map((s) => ({
            space: s.space_name,
            usedBytes: s.space_used_size,
            sizeBytes: s.space_size,
          })),
          caches: manager.cacheSizes(),
        };
      },
    });
    debugPort = await listen(debug, settings.debugPort, DEBUG_BIND_ADDRESS);
    logger.warn(
      { port: debugPort, bindAddress: DEBUG_BIND_ADDRESS },
      'debug endpoints listening (POST /debug/resync, GET /debug/memory)',
    );
  }

  logger.info({ namespaces: settings.watchNamespaces.length ? settings.watchNamespaces : 'all' }, 'watching');
  await manager.start();

  if (fence) {
    // Lease requests time out well inside the renew deadline, so a hung API server cannot keep a replica
    // believing it leads after another may have taken over.
    const leaseClient = new RestClient(connection, {
      onWrite: (verb, kind) => metrics.apiWrites.inc({ verb, kind }),
      timeoutMs: 4000,
      userAgent,
    });
    leader = new LeaderElector({
      client: leaseClient,
      clock,
      logger,
      namespace: settings.leaderElectionNamespace,
      name: settings.leaderElectionId,
      leaseDurationMs: settings.leaseDurationSeconds * 1000,
      renewDeadlineMs: settings.renewDeadlineSeconds * 1000,
      retryPeriodMs: settings.retryPeriodSeconds * 1000,
      identity,
      onStartedLeading: () => {
        fence.open();
        metrics.isLeader.set(1);
        void manager.startWorkers();
      },
      onStoppedLeading: () => fence.close('the lease was not renewed within the renew deadline'),
    });
    leader.start();
  } else {
    metrics.isLeader.set(1);
    void manager.startWorkers();
  }

  return {
    manager,
    http,
    leader,
    port,
    ...(debugPort !== undefined ? { debugPort } : {}),
    async stop() {
      manager.stopWorkers();
      await manager.idle();
      await leader?.release();
      await manager.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      if (debug) await new Promise<void>((resolve) => debug.close(() => resolve()));
    },
  };
}

async function listen(server: HttpServer, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return (server.address() as AddressInfo).port;
}
