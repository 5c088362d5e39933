import { Counter, Registry } from 'prom-client';
import request from 'supertest';
import { createHttpServer } from './http.js';
import { FakeClock } from './kube/clock.js';
import { FakeReviewer } from './kube/fake-reviewer.test-helpers.js';
import { createTokenAuthorizer } from './kube/token-auth.js';

function makeServer(ready = true) {
  const registry = new Registry();
  new Counter({ name: 'openvox_test_total', help: 'A counter of the test.', registers: [registry] }).inc(3);
  const reviewer = new FakeReviewer({ 'scraper-token': 'scraper', 'other-token': 'other' }, ['scraper']);
  const server = createHttpServer({
    registry,
    ready: () => ready,
    authorizeMetrics: createTokenAuthorizer({ reviewer, clock: new FakeClock(), path: '/metrics', verb: 'get' }),
  });
  return { server, reviewer };
}

describe('controller HTTP endpoints', () => {
  it('serves /healthz and /readyz without a token (kubelet probes)', async () => {
    const { server, reviewer } = makeServer();
    await request(server).get('/healthz').expect(200, 'ok');
    await request(server).get('/readyz').expect(200, 'ok');
    await request(makeServer(false).server).get('/readyz').expect(503, 'caches not synced');
    expect(reviewer.tokenReviews).toBe(0);
  });

  it('refuses /metrics without a token: 401 with a Bearer challenge, no metrics', async () => {
    const res = await request(makeServer().server).get('/metrics').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.text).not.toContain('openvox_test_total');
  });

  it('refuses /metrics for an unknown token (401) and for a user without the permission (403)', async () => {
    const { server } = makeServer();
    await request(server).get('/metrics').set('Authorization', 'Bearer forged').expect(401);
    const res = await request(server).get('/metrics').set('Authorization', 'Bearer other-token').expect(403);
    expect(res.text).toBe('Forbidden: user "other" cannot get path "/metrics"');
  });

  it('serves the metrics to the permitted token', async () => {
    const res = await request(makeServer().server)
      .get('/metrics')
      .set('Authorization', 'Bearer scraper-token')
      .expect(200)
      .expect('content-type', /text\/plain/);
    expect(res.text).toContain('openvox_test_total 3');
  });

  it('has no resync endpoint and answers only GET', async () => {
    const { server } = makeServer();
    await request(server).post('/debug/resync').expect(405);
    await request(server).get('/debug/resync').expect(404);
  });
});
