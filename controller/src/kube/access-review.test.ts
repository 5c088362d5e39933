import { ApiAccessReviewer } from './access-review.js';
import type { KubeClient, KubeObject } from './client.js';
import type { ResourceType } from './resources.js';

/** A client whose create answers with a status of the test's choosing and records what was sent. */
function answering(status: Record<string, unknown>) {
  const sent: { kind: string; plural: string; body: KubeObject }[] = [];
  const client = {
    create: async (r: ResourceType, obj: KubeObject) => {
      sent.push({ kind: r.kind, plural: r.plural, body: obj });
      return { ...obj, status };
    },
  } as unknown as KubeClient;
  return { client, sent };
}

describe('ApiAccessReviewer', () => {
  it('sends the token in a TokenReview and returns the authenticated user', async () => {
    const user = { username: 'system:serviceaccount:monitoring:prometheus', uid: 'u1', groups: ['g'] };
    const { client, sent } = answering({ authenticated: true, user });
    expect(await new ApiAccessReviewer(client).authenticate('t0k3n')).toEqual(user);
    expect(sent).toEqual([
      {
        kind: 'TokenReview',
        plural: 'tokenreviews',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 't0k3n' } },
      },
    ]);
  });

  it('returns no user for a token the API server does not authenticate', async () => {
    const reviewer = new ApiAccessReviewer(answering({ authenticated: false, error: 'invalid bearer token' }).client);
    expect(await reviewer.authenticate('forged')).toBeUndefined();
  });

  it('asks a SubjectAccessReview for the non-resource URL with the user, uid, groups and extra', async () => {
    const { client, sent } = answering({ allowed: true });
    const user = { username: 'u', uid: 'id', groups: ['system:authenticated'], extra: { scope: ['a'] } };
    expect(await new ApiAccessReviewer(client).authorize(user, '/metrics', 'get')).toEqual({ allowed: true });
    expect(sent[0]).toEqual({
      kind: 'SubjectAccessReview',
      plural: 'subjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: 'u',
          uid: 'id',
          groups: ['system:authenticated'],
          extra: { scope: ['a'] },
          nonResourceAttributes: { path: '/metrics', verb: 'get' },
        },
      },
    });
  });

  it('denies unless allowed is true and denied is not', async () => {
    const user = { username: 'u' };
    for (const [status, allowed] of [
      [{}, false],
      [{ allowed: false, reason: 'no RBAC rule' }, false],
      [{ allowed: true, denied: true }, false],
      [{ allowed: true }, true],
    ] as const) {
      const decision = await new ApiAccessReviewer(answering(status).client).authorize(user, '/metrics', 'get');
      expect({ status, allowed: decision.allowed }).toEqual({ status, allowed });
    }
  });
});
