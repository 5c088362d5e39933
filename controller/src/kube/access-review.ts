// Asks the API server who a bearer token belongs to (TokenReview) and whether that user may read a
// non-resource URL (SubjectAccessReview): the delegated authn/authz of kubebuilder's secure metrics.
import type { KubeClient, KubeObject } from './client.js';
import { SUBJECT_ACCESS_REVIEW, TOKEN_REVIEW } from './resources.js';

export interface ReviewedUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface AccessDecision {
  allowed: boolean;
  reason?: string;
}

export interface AccessReviewer {
  /** The user of a bearer token, or undefined when the API server does not authenticate it. */
  authenticate(token: string): Promise<ReviewedUser | undefined>;
  /** Whether the user may send `verb` to the non-resource URL `path` (e.g. get /metrics). */
  authorize(user: ReviewedUser, path: string, verb: string): Promise<AccessDecision>;
}

interface TokenReview extends KubeObject {
  status?: { authenticated?: boolean; user?: ReviewedUser; error?: string };
}

interface SubjectAccessReview extends KubeObject {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

/** The reviews on the API server; give it a client that does not count these creates as writes. */
export class ApiAccessReviewer implements AccessReviewer {
  constructor(private readonly client: KubeClient) {}

  async authenticate(token: string): Promise<ReviewedUser | undefined> {
    const review = await this.client.create<TokenReview>(TOKEN_REVIEW, {
      apiVersion: TOKEN_REVIEW.apiVersion,
      kind: TOKEN_REVIEW.kind,
      spec: { token },
    });
    const status = review.status;
    return status?.authenticated && status.user?.username ? status.user : undefined;
  }

  async authorize(user: ReviewedUser, path: string, verb: string): Promise<AccessDecision> {
    const review = await this.client.create<SubjectAccessReview>(SUBJECT_ACCESS_REVIEW, {
      apiVersion: SUBJECT_ACCESS_REVIEW.apiVersion,
      kind: SUBJECT_ACCESS_REVIEW.kind,
      spec: {
        user: user.username,
        ...(user.uid ? { uid: user.uid } : {}),
        ...(user.groups ? { groups: user.groups } : {}),
        ...(user.extra ? { extra: user.extra } : {}),
        nonResourceAttributes: { path, verb },
      },
    });
    const status = review.status;
    const reason = status?.reason || status?.evaluationError;
    return { allowed: status?.allowed === true && status.denied !== true, ...(reason ? { reason } : {}) };
  }
}
