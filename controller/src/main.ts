// `node controller/dist/main.js [--kubeconfig path] [--port 8080] ...`: the Server controller process.
import { createLogger } from '@openvox/shared/logger';
import { startApp } from './app.js';
import { parseSettings } from './settings.js';

// A bad flag or variable is one line naming it, not a stack trace.
const { settings, logger } = await (async () => {
  try {
    const settings = parseSettings(process.argv.slice(2), process.env);
    return { settings, logger: await createLogger({ level: settings.logLevel, component: 'controller' }) };
  } catch (err) {
    process.stderr.write(`controller: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
})();

try {
  // A replica that loses the lease has already stopped writing (the fence); it exits non-zero so its
  // Deployment restarts it as a follower with fresh caches, never as a second writer.
  const app = await startApp(settings, logger, undefined, () => {
    logger.fatal('exiting after lost leadership');
    process.exit(1);
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'controller failed to start');
  process.exit(1);
}
