// 10,000 fuzzed AdmissionReviews at concurrency 20 against the running webhook process: no 5xx, no
// crash (the same process, by pid and start time, answers before and after; a webhook exits on an
// uncaught error), every answer a well-formed AdmissionReview echoing the uid, or a 4xx; and no leak.
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import fc from 'fast-check';
import { fullServer, serverReview } from '@openvox/webhook/testing';
import { MUTATE_PATH, VALIDATE_PATH } from '@openvox/shared';
import { join } from 'node:path';
import { clusterPaths } from '../src/cluster/paths.js';
import { freePort } from '../src/cluster/processes.js';
import { counter, readOperatorState } from '../src/e2e-support/operator-control.js';
import { startWebhookChild, writeServingCertificate } from '../src/operator/webhook-process.js';
import { processGone, processIdentity } from '../src/e2e-support/process-identity.js';

jest.setTimeout(300_000);

const TOTAL = 10_000;
const BODY_LIMIT_BYTES = 3 * 1024 * 1024;
const CONCURRENCY = 20;
const PATHS = [MUTATE_PATH, VALIDATE_PATH];

const state = readOperatorState();
const base = new URL(state.webhookUrl);
const agent = new Agent({ ca: readFileSync(state.webhookCaFile), keepAlive: true, maxSockets: CONCURRENCY });

interface Answer {
  status: number;
  body: string;
}

interface Target {
  host: string;
  port: string | number;
  agent: Agent;
}

const runWebhook: Target = { host: base.hostname, port: base.port, agent };

function call(method: 'GET' | 'POST', path: string, body?: string | Buffer, target = runWebhook): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...target,
        path,
        method,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer 413 and close before an oversized body is fully sent: the client then
      // sees a reset. Only for such bodies is that an answer; the process is checked alive afterwards.
      const oversized = body !== undefined && Buffer.byteLength(body) > BODY_LIMIT_BYTES;
      if (oversized && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) resolve({ status: 413, body: '' });
      else reject(error);
    });
    req.end(body);
  });
}

const post = (path: string, body: string | Buffer) => call('POST', path, body);

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

interface FuzzCase {
  body: string | Buffer;
  /** When the body carries one, the uid the answer must echo. */
  uid?: string;
}

/** Bodies of ordinary size: random JSON and binary, Server-shaped reviews with wrong types, truncations. */
const ordinaryCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.json().map((body) => ({ body })),
  fc.string({ unit: 'binary', maxLength: 300 }).map((body) => ({ body })),
  fc.uuid().chain((uid) =>
    fc
      .record(
        {
          replicas: fc.anything(),
          javaArgs: fc.oneof(fc.string({ unit: 'grapheme' }), fc.anything()),
          pdb: fc.anything(),
          autoscaling: fc.dictionary(fc.string(), fc.anything()),
          resources: fc.anything(),
          poolRefs: fc.array(fc.string({ unit: 'grapheme', maxLength: 80 })),
          configRef: fc.string({ unit: 'grapheme', maxLength: 300 }),
        },
        { requiredKeys: [] },
      )
      .map((spec) => ({
        body: JSON.stringify(serverReview({ ...fullServer(), spec: { ...fullServer().spec, ...spec } }, { uid })),
        uid,
      })),
  ),
  fc
    .uuid()
    .chain((uid) =>
      fc.nat({ max: 2000 }).map((cut) => ({ body: JSON.stringify(serverReview(fullServer(), { uid })).slice(0, cut) })),
    ),
);

/** Plus the extremes: a 2 MB string field, deep nesting, and a body over the 3 MiB limit. */
// Weighted 4:1, so the extremes stay one case in five, as each kind of ordinary body is.
const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { arbitrary: ordinaryCase, weight: 4 },
  {
    weight: 1,
    arbitrary: fc.constantFrom<FuzzCase>(
      {
        body: JSON.stringify(
          serverReview(
            { ...fullServer(), spec: { ...fullServer().spec, javaArgs: 'x'.repeat(2_000_000) } },
            { uid: 'huge' },
          ),
        ),
        uid: 'huge',
      },
      { body: nested(5_000) },
      { body: nested(100_000) },
      { body: Buffer.alloc(4 * 1024 * 1024, 0x20) },
    ),
  },
);

/** A request that gets no answer at all (refused, reset): after a crash every request does. */
async function answerOrError(path: string, body: string | Buffer): Promise<Answer | Error> {
  return post(path, body).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
}

it(`answers ${TOTAL} fuzzed requests without a 5xx or a crash`, async () => {
  const webhook = processIdentity(state.pids.webhook);
  if (!webhook) throw new Error(`the run's webhook (pid ${state.pids.webhook}) is not running before the fuzz run`);
  const cases = fc.sample(fuzzCase, { numRuns: TOTAL, seed: 20261125 });
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const { body, uid } = cases[i]!;
      const answer = await answerOrError(PATHS[i % 2]!, body);
      if (answer instanceof Error) {
        problems.push(`#${i}: no answer: ${(answer as NodeJS.ErrnoException).code ?? answer.message}`);
        continue;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500) problems.push(`#${i}: ${answer.status} ${answer.body.slice(0, 200)}`);
      if (answer.status === 200) {
        const review = JSON.parse(answer.body);
        if (
          review.apiVersion !== 'admission.k8s.io/v1' ||
          review.kind !== 'AdmissionReview' ||
          typeof review.response?.allowed !== 'boolean'
        ) {
          problems.push(`#${i}: malformed answer ${answer.body.slice(0, 200)}`);
        }
        if (uid && review.response?.uid !== uid) problems.push(`#${i}: uid ${review.response?.uid} instead of ${uid}`);
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `chaos: ${TOTAL} fuzzed reviews in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  // A crash first: it explains the requests that got no answer after it.
  expect({ webhook: processGone(webhook) }).toEqual({ webhook: undefined });
  expect(problems.slice(0, 20)).toEqual([]);
  expect((await call('GET', '/healthz')).status).toBe(200);
});

it('does not leak: a webhook with an 80 MiB heap limit survives 12,000 more fuzzed requests', async () => {
  // A leak of 10 KiB per request would pass the limit and crash the process with an out-of-memory error.
  // Ordinary bodies only: 20 concurrent multi-megabyte ones need more heap at once without any leak.
  const port = await freePort();
  const tls = await writeServingCertificate(join(clusterPaths.root, 'fuzz-leak-tls'));
  const webhook = await startWebhookChild({
    port,
    tls,
    logFile: join(clusterPaths.logs, 'fuzz-leak-webhook.log'),
    nodeArgs: ['--max-old-space-size=80'],
  });
  const leakAgent = new Agent({ ca: tls.caPem, keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const target = { host: '127.0.0.1', port, agent: leakAgent };
    const cases = fc.sample(ordinaryCase, { numRuns: 12_000, seed: 42 });
    const statuses = new Map<number, number>();
    for (let i = 0; i < cases.length; i += CONCURRENCY) {
      const answers = await Promise.all(
        cases.slice(i, i + CONCURRENCY).map((c, j) => call('POST', PATHS[j % 2]!, c.body, target)),
      );
      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    }
    const heap = counter((await call('GET', '/metrics', undefined, target)).body, 'nodejs_heap_size_used_bytes');
    console.log(
      `chaos: leak check, 80 MiB heap limit: statuses ${JSON.stringify(Object.fromEntries(statuses))}, heap ${(heap / 2 ** 20).toFixed(0)} MiB`,
    );
    expect({ exitCode: webhook.process.exitCode, signal: webhook.process.signalCode }).toEqual({
      exitCode: null,
      signal: null,
    });
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect((await call('GET', '/healthz', undefined, target)).status).toBe(200);
  } finally {
    leakAgent.destroy();
    await webhook.stop();
  }
});

afterAll(() => agent.destroy());
