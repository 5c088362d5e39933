// HTTPS server whose certificate is reloaded from disk without a restart (cert-manager rotates it).
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface TlsServerOptions extends TlsFiles {
  logger: Logger;
  /** Poll fallback for file systems where fs.watch misses the change; 10 s like controller-runtime. */
  pollIntervalMs?: number;
  /** Watch the directories for changes (default true); off leaves only the poll. */
  watch?: boolean;
}

export interface ReloadingServer {
  server: Server;
  /** True once a certificate and key have been loaded. */
  loaded(): boolean;
  /** Re-reads the files now; resolves to true when a new pair was installed. */
  reload(): Promise<boolean>;
  /** Stops watching the files (does not close the server). */
  stopWatching(): void;
}

const TLS_BASE = { minVersion: 'TLSv1.2' as const };

async function readPair(files: TlsFiles): Promise<{ cert: string; key: string }> {
  const [cert, key] = await Promise.all([readFile(files.certFile, 'utf8'), readFile(files.keyFile, 'utf8')]);
  return { cert, key };
}

export async function createReloadingServer(app: RequestListener, options: TlsServerOptions): Promise<ReloadingServer> {
  const { logger } = options;
  let current: { cert: string; key: string } | undefined;
  try {
    current = await readPair(options);
    createSecureContext({ ...current, ...TLS_BASE });
  } catch (error) {
    // Keep serving (handshakes fail) and pick the files up when they appear.
    logger.error(
      { err: error, certFile: options.certFile, keyFile: options.keyFile },
      'cannot load the TLS certificate yet',
    );
    current = undefined;
  }
  const server = createServer({ ...TLS_BASE, ...(current ?? {}) }, app);
  // Aligned with controller-runtime's webhook server: the API server keeps connections open.
  server.keepAliveTimeout = 90_000;
  server.headersTimeout = 32_000;

  let reloading: Promise<boolean> | undefined;
  const reload = (): Promise<boolean> => {
    reloading ??= (async () => {
      try {
        const next = await readPair(options);
        if (current && next.cert === current.cert && next.key === current.key) return false;
        // Validates that key and certificate match before the server uses them.
        createSecureContext({ ...next, ...TLS_BASE });
        server.setSecureContext({ ...next, ...TLS_BASE });
        current = next;
        logger.info({ certFile: options.certFile }, 'TLS certificate loaded');
        return true;
      } catch (error) {
        // Mid-rotation the key and certificate may not match yet; the next event or poll retries.
        logger.warn({ err: error, certFile: options.certFile }, 'TLS certificate not reloaded');
        return false;
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };

  let debounce: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void reload(), 50);
    debounce.unref();
  };
  // Watch the directories: Secret volumes swap a symlink, which a file watch would not follow.
  const watchers: FSWatcher[] = [];
  const dirs = options.watch === false ? [] : [...new Set([dirname(options.certFile), dirname(options.keyFile)])];
  for (const dir of dirs) {
    try {
      const watcher = watch(dir, schedule);
      watcher.on('error', (error) =>
        logger.warn({ err: error, dir }, 'certificate directory watch failed; polling only'),
      );
      watcher.unref();
      watchers.push(watcher);
    } catch (error) {
      logger.warn({ err: error, dir }, 'cannot watch the certificate directory; polling only');
    }
  }
  const poll = setInterval(() => void reload(), options.pollIntervalMs ?? 10_000);
  poll.unref();

  return {
    server,
    loaded: () => current !== undefined,
    reload,
    stopWatching() {
      clearInterval(poll);
      clearTimeout(debounce);
      for (const watcher of watchers) watcher.close();
    },
  };
}
