import { FakeClock } from './clock.js';
import { FakeReviewer } from './fake-reviewer.test-helpers.js';
import { bearerToken, createTokenAuthorizer } from './token-auth.js';

function setup(opts: { maxEntries?: number } = {}) {
  const clock = new FakeClock(1_000_000);
  const reviewer = new FakeReviewer({ 'scraper-token': 'scraper', 'other-token': 'other' }, ['scraper']);
  const authorize = createTokenAuthorizer({
    reviewer,
    clock,
    path: '/metrics',
    verb: 'get',
    allowTtlMs: 30_000,
    denyTtlMs: 10_000,
    ...opts,
  });
  return { clock, reviewer, authorize };
}

describe('bearerToken', () => {
  it('takes the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwdw==')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
  });
});

describe('createTokenAuthorizer', () => {
  it('answers 401 without a token and asks the API server nothing', async () => {
    const { reviewer, authorize } = setup();
    expect(await authorize(undefined)).toMatchObject({ status: 401 });
    expect(reviewer.tokenReviews).toBe(0);
  });

  it('answers 401 for a token the API server does not authenticate, without an access review', async () => {
    const { reviewer, authorize } = setup();
    expect(await authorize('Bearer forged')).toMatchObject({ status: 401 });
    expect(reviewer).toMatchObject({ tokenReviews: 1, accessReviews: 0 });
  });

  it('answers 403 for an authenticated user without the permission, naming user and path', async () => {
    const { authorize } = setup();
    expect(await authorize('Bearer other-token')).toEqual({
      status: 403,
      message: 'Forbidden: user "other" cannot get path "/metrics"',
      user: 'other',
    });
  });

  it('answers 200 for the permitted user', async () => {
    const { authorize } = setup();
    expect(await authorize('Bearer scraper-token')).toEqual({ status: 200, message: 'ok', user: 'scraper' });
  });

  it('caches an allowed token for the allow TTL, then reviews it again', async () => {
    const { clock, reviewer, authorize } = setup();
    for (let i = 0; i < 5; i++) expect((await authorize('Bearer scraper-token')).status).toBe(200);
    expect(reviewer).toMatchObject({ tokenReviews: 1, accessReviews: 1 });
    clock.advance(29_999);
    await authorize('Bearer scraper-token');
    expect(reviewer.tokenReviews).toBe(1);
    clock.advance(1);
    await authorize('Bearer scraper-token');
    expect(reviewer).toMatchObject({ tokenReviews: 2, accessReviews: 2 });
  });

  it('caches refusals for the shorter deny TTL', async () => {
    const { clock, reviewer, authorize } = setup();
    await authorize('Bearer other-token');
    await authorize('Bearer other-token');
    expect(reviewer.accessReviews).toBe(1);
    clock.advance(10_000);
    await authorize('Bearer other-token');
    expect(reviewer.accessReviews).toBe(2);
  });

  it('shares one review between concurrent requests with the same token', async () => {
    const { reviewer, authorize } = setup();
    const all = await Promise.all([1, 2, 3].map(() => authorize('Bearer scraper-token')));
    expect(all.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(reviewer.tokenReviews).toBe(1);
  });

  it('answers 503 when the API server cannot review, and does not cache it', async () => {
    const { reviewer, authorize } = setup();
    reviewer.failing = true;
    expect(await authorize('Bearer scraper-token')).toMatchObject({ status: 503 });
    reviewer.failing = false;
    expect(await authorize('Bearer scraper-token')).toMatchObject({ status: 200 });
    expect(reviewer.tokenReviews).toBe(2);
  });

  it('remembers a bounded number of tokens, forgetting the oldest', async () => {
    const { reviewer, authorize } = setup({ maxEntries: 2 });
    await authorize('Bearer scraper-token');
    await authorize('Bearer forged-1');
    await authorize('Bearer forged-2');
    expect(reviewer.tokenReviews).toBe(3);
    await authorize('Bearer forged-2');
    expect(reviewer.tokenReviews).toBe(3);
    await authorize('Bearer scraper-token');
    expect(reviewer.tokenReviews).toBe(4);
  });
});
