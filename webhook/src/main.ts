// Entry point: node webhook/dist/main.js --port 9443 --tls-cert tls.crt --tls-key tls.key [--kubeconfig FILE]
import { pino } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { parseSettings } from './settings.js';
import { loadClusterConfig } from './references/cluster.js';
import { createReferenceCache } from './references/informers.js';
import { noReferences } from './references/lookup.js';
import { startWebhook } from './start.js';
import { exitOnCrash } from './crash.js';

async function main(): Promise<void> {
  let settings;
  try {
    settings = parseSettings(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const logger = pino({ level: settings.logLevel, base: { component: 'webhook' } });
  // The process state after an uncaught error is undefined: exit and let the Deployment restart us.
  exitOnCrash(process, logger, (code) => process.exit(code));
  const registry = new Registry();
  // The event-loop delay histogram samples on a timer: at prom-client's default 10 ms it wakes an idle
  // process 100 times a second; once a second still shows a blocked loop.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });

  const kc = await loadClusterConfig({ kubeconfig: settings.kubeconfig, env: process.env }, logger);
  const cache = kc ? createReferenceCache(kc, logger) : undefined;
  cache?.start();

  const webhook = await startWebhook(settings, { logger, registry, references: cache ?? noReferences });
  logger.info({ port: webhook.port, address: settings.bindAddress, cluster: kc !== undefined }, 'listening');

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    void Promise.all([webhook.close(), cache?.stop()]).then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

// A start-up failure (unreadable kubeconfig, port in use) ends the process with a reason and code 1.
main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 60, msg: 'webhook failed to start', err: String((error as Error)?.stack ?? error) })}\n`,
  );
  process.exit(1);
});
