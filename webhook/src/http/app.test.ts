import fc from 'fast-check';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApp, MUTATE_PATH, VALIDATE_PATH, type Handler } from './app.js';
import { mutate } from '../server/mutate.js';
import { validate } from '../server/validate.js';
import { createSpecValidator, schemaRule } from '../server/rules/index.js';
import { noReferences } from '../references/lookup.js';
import { fullServer, serverReview } from '../testing/fixtures.js';

const schema = schemaRule(createSpecValidator());
const realValidate: Handler = (review) => validate(review, { schemaRule: schema, references: noReferences });

function makeApp(overrides: { mutate?: Handler; validate?: Handler; notReady?: () => readonly string[] } = {}) {
  const registry = new Registry();
  const app = createApp({
    logger: pino({ level: 'silent' }),
    registry,
    mutate: overrides.mutate ?? mutate,
    validate: overrides.validate ?? realValidate,
    notReady: overrides.notReady ?? (() => []),
  });
  return { app, registry };
}

describe('admission routes', () => {
  it('answers an AdmissionReview v1 with the uid echoed', async () => {
    const { app } = makeApp();
    for (const path of [MUTATE_PATH, VALIDATE_PATH]) {
      const res = await request(app)
        .post(path)
        .send(serverReview(fullServer()))
        .expect(200)
        .expect('content-type', /json/);
      expect(res.body).toMatchObject({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true },
      });
    }
  });

  it('returns 400 with a JSON error for a body that is not JSON, and keeps serving', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post(VALIDATE_PATH)
      .set('content-type', 'application/json')
      .send('{"apiVersion": ')
      .expect(400);
    expect(res.body.error).toEqual(expect.any(String));
    await request(app).post(VALIDATE_PATH).send(serverReview(fullServer())).expect(200);
  });

  it.each([
    ['an array', []],
    ['another apiVersion', { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'u' } }],
    ['another kind', { apiVersion: 'admission.k8s.io/v1', kind: 'Status', request: { uid: 'u' } }],
    ['no request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }],
    ['no uid', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { operation: 'CREATE' } }],
    ['an empty uid', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: '' } }],
    ['a numeric uid', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 5 } }],
  ])('returns 400 for %s', async (_what, body) => {
    const { app } = makeApp();
    const res = await request(app)
      .post(MUTATE_PATH)
      .send(body as object)
      .expect(400);
    expect(res.body.error).toMatch(/AdmissionReview|JSON object/);
  });

  it('returns 400 for a body that is not sent as JSON', async () => {
    const { app } = makeApp();
    await request(app).post(VALIDATE_PATH).set('content-type', 'text/plain').send('hello').expect(400);
  });

  it('returns 413 for a body over 3 MiB and accepts one just under it', async () => {
    const { app } = makeApp();
    const review = serverReview({ ...fullServer(), metadata: { name: 'x', annotations: { big: '' } } });
    const sized = (bytes: number) => {
      const copy = structuredClone(review);
      const overhead = JSON.stringify(copy).length;
      (copy.request.object as { metadata: { annotations: { big: string } } }).metadata.annotations.big = 'a'.repeat(
        bytes - overhead,
      );
      const body = JSON.stringify(copy);
      expect(body.length).toBe(bytes);
      return body;
    };
    const limit = 3 * 1024 * 1024;
    const over = await request(app)
      .post(VALIDATE_PATH)
      .set('content-type', 'application/json')
      .send(sized(limit + 1))
      .expect(413);
    expect(over.body.error).toContain('3mb');
    await request(app).post(VALIDATE_PATH).set('content-type', 'application/json').send(sized(limit)).expect(200);
  });

  it('returns 500 for that request only when a handler throws, and logs it', async () => {
    let calls = 0;
    const logged: unknown[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const app = createApp({
      logger,
      registry: new Registry(),
      mutate: () => {
        calls++;
        throw new Error('boom');
      },
      validate: realValidate,
      notReady: () => [],
    });
    const res = await request(app).post(MUTATE_PATH).send(serverReview(fullServer())).expect(500);
    expect(res.body.error).toEqual(expect.any(String));
    expect(calls).toBe(1);
    expect(logged).toEqual([
      expect.objectContaining({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', msg: 'admission handler failed' }),
    ]);
    await request(app).post(VALIDATE_PATH).send(serverReview(fullServer())).expect(200);
  });

  it('answers 404 on unknown paths', async () => {
    const { app } = makeApp();
    await request(app).post('/mutate').send({}).expect(404);
    await request(app).get(MUTATE_PATH).expect(404);
  });
});

describe('probes and metrics', () => {
  it('serves /healthz and /readyz from the readiness function', async () => {
    let reasons = ['TLS certificate not loaded', 'Config and Certificate cache not synced yet'];
    const { app } = makeApp({ notReady: () => reasons });
    await request(app).get('/healthz').expect(200);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.text).toBe('not ready: TLS certificate not loaded; Config and Certificate cache not synced yet');
    reasons = [];
    await request(app).get('/readyz').expect(200, 'ok');
  });

  it('counts requests and records latency by path and result', async () => {
    const { app } = makeApp();
    await request(app).post(MUTATE_PATH).send(serverReview(fullServer())).expect(200);
    await request(app)
      .post(VALIDATE_PATH)
      .send(serverReview({ metadata: { name: 'x' }, spec: {} }))
      .expect(200);
    await request(app).post(VALIDATE_PATH).send(serverReview(fullServer())).expect(200);
    await request(app).post(VALIDATE_PATH).send('nope').set('content-type', 'application/json').expect(400);
    await request(app)
      .post(MUTATE_PATH)
      .set('content-type', 'application/json')
      .send(`"${'a'.repeat(3 * 1024 * 1024)}"`)
      .expect(413);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(text).toContain(`openvox_webhook_requests_total{path="${MUTATE_PATH}",result="patched"} 1`);
    expect(text).toContain(`openvox_webhook_requests_total{path="${VALIDATE_PATH}",result="denied"} 1`);
    expect(text).toContain(`openvox_webhook_requests_total{path="${VALIDATE_PATH}",result="allowed"} 1`);
    expect(text).toContain(`openvox_webhook_requests_total{path="${VALIDATE_PATH}",result="bad_request"} 1`);
    expect(text).toContain(`openvox_webhook_requests_total{path="${MUTATE_PATH}",result="too_large"} 1`);
    expect(text).toMatch(
      new RegExp(`openvox_webhook_request_duration_seconds_count\\{path="${MUTATE_PATH}",result="patched"\\} 1`),
    );
  });
});

describe('properties', () => {
  const { app } = makeApp();
  const paths = fc.constantFrom(MUTATE_PATH, VALIDATE_PATH);

  it('arbitrary JSON bodies never give a 500', async () => {
    await fc.assert(
      fc.asyncProperty(paths, fc.jsonValue(), async (path, body) => {
        const res = await request(app).post(path).set('content-type', 'application/json').send(JSON.stringify(body));
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary non-JSON bodies give a 400 and the process keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(paths, fc.string(), async (path, body) => {
        const res = await request(app).post(path).set('content-type', 'application/json').send(body);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 100 },
    );
    await request(app).get('/healthz').expect(200);
  });

  // Values that look like Server fields but with any type: exercises defaults, schema and every rule.
  const anyValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.integer({ min: -5, max: 12 }),
    fc.constantFrom('50%', '101%', '4Gi', '2G', 'lots', '-Xms1g -Xmx2g', '-Xmx9t', '', 'production', 'Bad_Name'),
  );
  const objectOf = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: keys.length });
  const spec = fc.record(
    {
      configRef: anyValue,
      certificateRef: anyValue,
      poolRefs: fc.oneof(fc.array(anyValue, { maxLength: 3 }), anyValue),
      ca: anyValue,
      server: anyValue,
      replicas: anyValue,
      maxActiveInstances: anyValue,
      javaArgs: anyValue,
      autoscaling: fc.oneof(objectOf(['enabled', 'minReplicas', 'maxReplicas', 'targetCPU']), anyValue),
      pdb: fc.oneof(objectOf(['enabled', 'minAvailable', 'maxUnavailable']), anyValue),
      resources: fc.oneof(
        fc.record({ limits: objectOf(['memory', 'cpu']), requests: objectOf(['memory', 'cpu']) }, { requiredKeys: [] }),
        anyValue,
      ),
      image: fc.oneof(objectOf(['repository', 'tag', 'pullPolicy']), anyValue),
      code: fc.oneof(objectOf(['image', 'claimName', 'imagePullPolicy']), anyValue),
    },
    { requiredKeys: [] },
  );
  const server = fc.record(
    {
      apiVersion: fc.constant('openvox.voxpupuli.org/v1alpha1'),
      kind: fc.constant('Server'),
      metadata: fc.oneof(
        fc.record({ name: anyValue, namespace: anyValue, generateName: anyValue }, { requiredKeys: [] }),
        anyValue,
      ),
      spec: fc.oneof(spec, anyValue),
    },
    { requiredKeys: ['metadata'] },
  );
  const operation = fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT', 'PATCH', 5);

  it('arbitrary Server-shaped objects never give a 500 and always echo the uid', async () => {
    await fc.assert(
      fc.asyncProperty(
        paths,
        server,
        operation,
        fc.string({ minLength: 1 }),
        fc.boolean(),
        async (path, object, op, uid, dryRun) => {
          const review = serverReview(object, { uid, operation: op as string, dryRun });
          const res = await request(app).post(path).send(review);
          expect(res.status).toBe(200);
          expect(res.body.response.uid).toBe(uid);
          expect(typeof res.body.response.allowed).toBe('boolean');
          if (!res.body.response.allowed) expect(res.body.response.status.details.causes.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('mutating twice gives no second patch for arbitrary Server-shaped objects', () => {
    fc.assert(
      fc.property(server, (object) => {
        const first = mutate(serverReview(object));
        if (!first.patch) return;
        const ops = JSON.parse(Buffer.from(first.patch, 'base64').toString());
        const next = structuredClone(object) as Record<string, unknown>;
        // Minimal patch application: add/replace on existing objects (compare() only emits those here).
        for (const op of ops as { op: string; path: string; value: unknown }[]) {
          const parts = op.path
            .split('/')
            .slice(1)
            .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
          let node = next as Record<string, unknown>;
          for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
          expect(['add', 'replace']).toContain(op.op);
          node[parts[parts.length - 1]!] = op.value;
        }
        expect(mutate(serverReview(next)).patch).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
