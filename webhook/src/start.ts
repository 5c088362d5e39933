// Wires the pure handlers, the express app and the reloading HTTPS server; returns a handle to stop it.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createApp } from './http/app.js';
import { createReloadingServer } from './http/tls.js';
import type { ReferenceLookup } from './references/lookup.js';
import { mutateOrDeny } from './server/mutate-or-deny.js';
import { validate, type ValidateDeps } from './server/validate.js';
import { kindValidators } from './kinds/validate.js';
import { createSpecValidator, schemaRule } from './server/rules/index.js';
import type { Settings } from './settings.js';

export interface WebhookDeps {
  logger: Logger;
  registry: Registry;
  references: ReferenceLookup;
}

export interface RunningWebhook {
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to graceMs), then resolves. */
  close(graceMs?: number): Promise<void>;
  /** Re-reads the certificate files now (the watcher does this on its own). */
  reloadCertificate(): Promise<boolean>;
}

/** Why the webhook cannot serve: shutting down, no certificate yet, or (with a cluster) no synced reference cache. */
export function notReady(state: { closing: boolean; tlsLoaded: boolean; referencesSynced: boolean }): string[] {
  const reasons: string[] = [];
  if (state.closing) reasons.push('shutting down');
  if (!state.tlsLoaded) reasons.push('TLS certificate not loaded');
  if (!state.referencesSynced) reasons.push('Config and Certificate cache not synced yet');
  return reasons;
}

export async function startWebhook(
  settings: Pick<Settings, 'port' | 'bindAddress' | 'tlsCertFile' | 'tlsKeyFile' | 'certPollMs'>,
  deps: WebhookDeps,
): Promise<RunningWebhook> {
  const { logger } = deps;
  const validation: ValidateDeps = { schemaRule: schemaRule(createSpecValidator()), references: deps.references };
  let closing = false;
  let tlsLoaded = () => false;
  const app = createApp({
    logger,
    registry: deps.registry,
    mutate: (review) => mutateOrDeny(review, validation),
    validate: (review) => validate(review, validation),
    validateKinds: kindValidators(deps.references),
    notReady: () => notReady({ closing, tlsLoaded: tlsLoaded(), referencesSynced: deps.references.synced() }),
    draining: () => closing,
  });
  const tls = await createReloadingServer(app, {
    certFile: settings.tlsCertFile,
    keyFile: settings.tlsKeyFile,
    logger,
    pollIntervalMs: settings.certPollMs,
  });
  tlsLoaded = tls.loaded;
  const { server } = tls;
  server.on('clientError', (error, socket) => {
    logger.debug({ err: error }, 'client connection error');
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    port,
    reloadCertificate: tls.reload,
    close(graceMs = 25_000) {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        tls.stopWatching();
        const idle = setInterval(() => server.closeIdleConnections(), 100);
        const deadline = setTimeout(() => {
          logger.warn('grace period over; closing remaining connections');
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
