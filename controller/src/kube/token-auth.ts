// Bearer token -> TokenReview -> SubjectAccessReview for one non-resource URL and verb, as an HTTP
// status: 401 without a valid token, 403 when its user lacks the permission, 200 when allowed.
// Decisions are cached per token for a short, bounded time, so a scraper does not cost two API calls
// per scrape; a failed review (API server unreachable) answers 503 and is not cached.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { AccessReviewer } from './access-review.js';
import { TtlCache } from './ttl-cache.js';

export interface AuthDecision {
  status: 200 | 401 | 403 | 503;
  message: string;
  /** The authenticated user, when there is one. */
  user?: string;
}

export interface TokenAuthOptions {
  reviewer: AccessReviewer;
  clock: Clock;
  logger?: Logger;
  /** The non-resource URL and verb the user must be allowed, e.g. /metrics and get. */
  path: string;
  verb: string;
  /** How long an allowed token stays allowed without asking again. Defaults to 30 s. */
  allowTtlMs?: number;
  /** How long an unknown or forbidden token stays refused. Defaults to 10 s. */
  denyTtlMs?: number;
  /** Tokens remembered at most (the oldest is forgotten first). Defaults to 256. */
  maxEntries?: number;
}

export type TokenAuthorizer = (authorization: string | undefined) => Promise<AuthDecision>;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

export function createTokenAuthorizer(opts: TokenAuthOptions): TokenAuthorizer {
  const allowTtl = opts.allowTtlMs ?? 30_000;
  const denyTtl = opts.denyTtlMs ?? 10_000;
  // Keyed by a hash: the cache never holds a usable token.
  const cache = new TtlCache<Promise<AuthDecision>>(opts.clock, opts.maxEntries ?? 256);

  async function review(token: string): Promise<AuthDecision> {
    let user;
    try {
      user = await opts.reviewer.authenticate(token);
    } catch (err) {
      opts.logger?.warn({ err: String(err) }, 'TokenReview failed');
      return { status: 503, message: 'token review failed' };
    }
    if (!user) return { status: 401, message: 'Unauthorized' };
    try {
      const decision = await opts.reviewer.authorize(user, opts.path, opts.verb);
      if (decision.allowed) return { status: 200, message: 'ok', user: user.username };
      opts.logger?.debug({ user: user.username, reason: decision.reason }, 'metrics access denied');
      return {
        status: 403,
        message: `Forbidden: user "${user.username}" cannot ${opts.verb} path "${opts.path}"`,
        user: user.username,
      };
    } catch (err) {
      opts.logger?.warn({ err: String(err), user: user.username }, 'SubjectAccessReview failed');
      return { status: 503, message: 'access review failed', user: user.username };
    }
  }

  return (authorization) => {
    const token = bearerToken(authorization);
    if (!token) return Promise.resolve({ status: 401, message: 'Unauthorized: a bearer token is required' });
    const key = createHash('sha256').update(token).digest('hex');
    const cached = cache.get(key);
    if (cached) return cached;
    // The pending review is cached too: concurrent scrapes with one token share it.
    const decision = review(token);
    cache.set(key, decision, allowTtl);
    void decision.then((d) => {
      if (cache.get(key) !== decision) return;
      if (d.status === 503) cache.delete(key);
      else if (d.status !== 200) cache.set(key, decision, denyTtl);
    });
    return decision;
  };
}
