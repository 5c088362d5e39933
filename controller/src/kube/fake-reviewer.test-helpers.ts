// An AccessReviewer with a fixed table of tokens and permissions that counts its reviews.
import type { AccessDecision, AccessReviewer, ReviewedUser } from './access-review.js';

export class FakeReviewer implements AccessReviewer {
  tokenReviews = 0;
  accessReviews = 0;
  /** Set to make the next reviews fail as an unreachable API server would. */
  failing = false;

  constructor(
    /** token -> user name */
    private readonly tokens: Record<string, string>,
    /** user names allowed `get` on every path asked about */
    private readonly allowed: string[],
  ) {}

  async authenticate(token: string): Promise<ReviewedUser | undefined> {
    this.tokenReviews++;
    if (this.failing) throw new Error('connect ECONNREFUSED');
    const username = this.tokens[token];
    return username ? { username, groups: ['system:authenticated'] } : undefined;
  }

  async authorize(user: ReviewedUser, _path: string, verb: string): Promise<AccessDecision> {
    this.accessReviews++;
    if (this.failing) throw new Error('connect ECONNREFUSED');
    return { allowed: verb === 'get' && this.allowed.includes(user.username) };
  }
}
