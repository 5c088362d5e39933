import request from 'supertest';
import { createDebugServer } from './debug-http.js';

describe('debug server', () => {
  it('resyncs on POST /debug/resync: 200 on a working replica, 409 on a follower', async () => {
    let working = true;
    let resyncs = 0;
    const server = createDebugServer({
      resync: async () => {
        resyncs++;
        return working;
      },
    });
    await request(server).post('/debug/resync').expect(200, 'resynced');
    working = false;
    await request(server).post('/debug/resync').expect(409, 'not the leader');
    expect(resyncs).toBe(2);
  });

  it('serves nothing else', async () => {
    const server = createDebugServer({ resync: async () => true });
    await request(server).get('/debug/resync').expect(405);
    await request(server).get('/metrics').expect(404);
  });
});
