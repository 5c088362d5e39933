// The express 5 app: admission routes, probes and metrics. TLS and listening live in tls.ts.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { parseReview, type AdmissionResponse, type ValidReview } from '../admission/review.js';
import { toReview } from '../admission/responses.js';
import { createMetrics } from './metrics.js';
import { MUTATE_PATH, VALIDATE_PATH } from '@openvox/shared';

export { MUTATE_PATH, VALIDATE_PATH };
export const BODY_LIMIT = '3mb';

export type Handler = (review: ValidReview) => AdmissionResponse;

export interface AppDeps {
  logger: Logger;
  registry: Registry;
  mutate: Handler;
  validate: Handler;
  /** Validating handlers of the other kinds, by path. */
  validateKinds?: ReadonlyMap<string, Handler>;
  /** What keeps the webhook from serving now; /readyz answers 200 only while this is empty. */
  notReady: () => readonly string[];
  /** True while shutting down: answers then carry Connection: close. */
  draining?: () => boolean;
}

const FIXED_PATHS = [MUTATE_PATH, VALIDATE_PATH, '/healthz', '/readyz', '/metrics'];

function resultOf(response: AdmissionResponse): string {
  if (!response.allowed) return 'denied';
  return response.patch ? 'patched' : 'allowed';
}

export function createApp(deps: AppDeps): express.Express {
  const { logger } = deps;
  const metrics = createMetrics(deps.registry);
  // Metrics label requests by path; unknown paths share one label so scanners cannot grow the series.
  const KNOWN_PATHS = new Set([...FIXED_PATHS, ...(deps.validateKinds?.keys() ?? [])]);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const path = KNOWN_PATHS.has(req.path) ? req.path : 'other';
      const result = (res.locals.result as string | undefined) ?? String(res.statusCode);
      metrics.observe(path, result, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  });

  // Checked when the answer is written (not when the request arrives), so a request that was in flight
  // when shutdown began also tells the client not to reuse the connection. Per-request tracking of
  // responses instead cost about 20 µs of CPU per request.
  const draining = deps.draining ?? (() => false);
  const reply = (res: Response, status: number, body: unknown) => {
    if (draining()) res.setHeader('Connection', 'close');
    res.status(status).json(body);
  };

  const admit = (name: string, handler: Handler) => (req: Request, res: Response) => {
    const parsed = parseReview(req.body);
    if (!parsed.ok) {
      res.locals.result = 'bad_request';
      reply(res, 400, { error: parsed.error });
      return;
    }
    const { request } = parsed.review;
    try {
      const response = handler(parsed.review);
      res.locals.result = resultOf(response);
      const log = {
        uid: request.uid,
        webhook: name,
        operation: request.operation,
        namespace: request.namespace,
        name: request.name,
        result: res.locals.result,
      };
      if (response.allowed) logger.debug(log, 'admission');
      else logger.info({ ...log, message: response.status?.message }, 'admission denied');
      reply(res, 200, toReview(response));
    } catch (error) {
      res.locals.result = 'error';
      logger.error({ uid: request.uid, webhook: name, err: error }, 'admission handler failed');
      reply(res, 500, { error: 'internal error while handling the AdmissionReview' });
    }
  };

  const json = express.json({ limit: BODY_LIMIT });
  app.post(MUTATE_PATH, json, admit('mutate', deps.mutate));
  app.post(VALIDATE_PATH, json, admit('validate', deps.validate));
  for (const [path, handler] of deps.validateKinds ?? []) app.post(path, json, admit('validate', handler));
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.get('/readyz', (_req, res) => {
    const reasons = deps.notReady();
    res
      .status(reasons.length === 0 ? 200 : 503)
      .type('text/plain')
      .send(reasons.length === 0 ? 'ok' : `not ready: ${reasons.join('; ')}`);
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(deps.registry.contentType).send(await deps.registry.metrics());
    } catch (error) {
      next(error);
    }
  });
  app.use((_req: Request, res: Response) => {
    res.locals.result = 'not_found';
    res.status(404).json({ error: 'not found' });
  });

  // Body-parser errors carry a status (400 bad JSON, 413 too large, 415 bad charset); anything else is ours.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status =
      typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    if (status >= 500) {
      res.locals.result = 'error';
      logger.error({ err: error }, 'request failed');
      res.status(500).json({ error: 'internal error' });
      return;
    }
    res.locals.result = status === 413 ? 'too_large' : 'bad_request';
    const message =
      status === 413
        ? `body is larger than ${BODY_LIMIT}`
        : status === 400
          ? 'body is not valid JSON or not a JSON object'
          : (error as Error).message;
    res.status(status).json({ error: message });
  });
  return app;
}
