// The ENC script as puppetserver runs it: a real Ruby process, the certname as its argument, the
// settings file the operator renders, a real HTTP classifier on 127.0.0.1 that records each request.
// Checked: the request (method, path, body, auth headers), the answer turned into the YAML
// puppetserver reads, every failure with an exit code and a message on stdout and stderr, the cache.
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { API_VERSION, type NodeClassifier } from '@openvox/shared';
import { OPENVOX_IMAGE_LAYOUT } from '../contracts/pod-layout.js';
import { RUBY, runScript, startService, type TestService } from '../http-service/run-script.test-helpers.js';
import { ENC_SCRIPT } from './enc-script.js';
import { encSettings, renderEncSettings, unusableEncSettings, type EncSettings } from './settings.js';

let dir: string;
let script: string;
let service: TestService;
let runs = 0;

beforeAll(async () => {
  // The Server pods' Ruby (the image's agent) runs this; here Debian's, which test/puppet/install.sh
  // installs with puppet-agent before `npm test` runs the unit suites.
  if (!existsSync(RUBY))
    throw new Error(`${RUBY} missing: run test/puppet/install.sh (Debian's puppet-agent brings it)`);
  dir = mkdtempSync(join(tmpdir(), 'enc-'));
  script = join(dir, 'openvox-enc');
  writeFileSync(script, ENC_SCRIPT, { mode: 0o755 });
  mkdirSync(join(dir, 'facts'));
  service = await startService(() => ({ status: 200, body: 'classes: [role::web]\n' }));
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  service.received.length = 0;
});

const nc = (spec: Partial<NodeClassifier['spec']> = {}): NodeClassifier => ({
  apiVersion: API_VERSION,
  kind: 'NodeClassifier',
  metadata: { name: 'enc', namespace: 'prod' },
  spec: { url: service.url, ...spec },
});

/** The settings as the operator renders them, with the facts and cache below the test directory. */
function settingsOf(classifier: NodeClassifier, headers: Record<string, string> = {}): EncSettings {
  const s = encSettings(classifier, { headers, clientCertificate: false }, OPENVOX_IMAGE_LAYOUT);
  return { ...s, factsDir: join(dir, 'facts'), cache: { ...s.cache, directory: join(dir, 'cache') } };
}

async function classify(settings: EncSettings | ReturnType<typeof unusableEncSettings>, certname: string) {
  const file = join(dir, `settings-${runs++}.json`);
  writeFileSync(file, renderEncSettings(settings));
  return runScript(script, [certname], { OPENVOX_ENC_SETTINGS: file });
}

describe('the ENC script (real Ruby, real HTTP)', () => {
  it('GETs the path with the certname and the auth header; prints the classes as YAML', async () => {
    service.answer = () => ({
      status: 200,
      body: 'classes:\n  role::web: {tier: front}\nparameters: {dc: a}\nenvironment: staging\nignored: x\n',
    });
    const r = await classify(
      settingsOf(nc({ request: { method: 'GET', path: '/v1/node/{certname}/enc' } }), {
        Authorization: 'Bearer t0ken',
      }),
      'web1.example.com',
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(parse(r.stdout)).toEqual({
      classes: { 'role::web': { tier: 'front' } },
      parameters: { dc: 'a' },
      environment: 'staging',
    });
    expect(service.received).toHaveLength(1);
    const [req] = service.received;
    expect(req).toMatchObject({ method: 'GET', url: '/v1/node/web1.example.com/enc', body: '' });
    expect(req!.headers).toMatchObject({ authorization: 'Bearer t0ken', accept: 'application/yaml, text/yaml' });
  });

  it('POSTs the facts puppetserver stored for the node (json terminus, or yaml), and {} when it has none', async () => {
    // As puppetserver's json facts terminus writes them.
    const facts = { kernel: 'Linux', os: { family: 'Debian' }, processors: { count: 2 } };
    writeFileSync(
      join(dir, 'facts', 'db1.json'),
      JSON.stringify({ name: 'db1', values: facts, timestamp: '2026-12-02T13:00:00.123+00:00' }),
    );
    // As Puppet's yaml facts terminus writes them: a Ruby object tag, times inside.
    writeFileSync(
      join(dir, 'facts', 'db2.yaml'),
      [
        '--- !ruby/object:Puppet::Node::Facts',
        'name: db2',
        'values:',
        '  kernel: Linux',
        '  _timestamp: 2026-12-02 13:00:00.123456789 +00:00',
        'timestamp: 2026-12-02 13:00:00.123456789 +00:00',
        '',
      ].join('\n'),
    );
    service.answer = () => ({ status: 200, body: 'classes: [role::db]\n' });
    const settings = settingsOf(nc({ request: { method: 'POST', path: '/classify', body: 'facts' } }), {
      'X-Auth': 'k',
    });
    const r = await classify(settings, 'db1');
    expect(r).toMatchObject({ code: 0 });
    expect(parse(r.stdout)).toEqual({ classes: ['role::db'] });
    const [req] = service.received;
    expect(req).toMatchObject({ method: 'POST', url: '/classify' });
    expect(req!.headers).toMatchObject({ 'content-type': 'application/json', 'x-auth': 'k' });
    expect(JSON.parse(req!.body)).toEqual({ certname: 'db1', facts });
    await classify(settings, 'db2');
    const yamlFacts = JSON.parse(service.received[1]!.body).facts;
    expect(yamlFacts.kernel).toBe('Linux');
    expect(typeof yamlFacts._timestamp).toBe('string');
    await classify(settings, 'new-node');
    expect(JSON.parse(service.received[2]!.body)).toEqual({ certname: 'new-node', facts: {} });
  });

  it('POSTs just the certname, reads a JSON answer, and sends no body with GET', async () => {
    service.answer = () => ({ status: 200, body: JSON.stringify({ classes: { ntp: null }, parameters: { a: 1 } }) });
    const post = nc({
      request: { method: 'POST', path: '/n/{certname}', body: 'certname' },
      response: { format: 'json' },
    });
    const r = await classify(settingsOf(post), 'a1');
    expect(parse(r.stdout)).toEqual({ classes: { ntp: null }, parameters: { a: 1 } });
    expect(service.received[0]).toMatchObject({ body: '{"certname":"a1"}' });
    expect(service.received[0]!.headers.accept).toBe('application/json');
  });

  it('says which classifier failed and why: on stdout (the agent sees it) and stderr, exit 2 or 1', async () => {
    service.answer = () => ({ status: 404, body: 'no such node' });
    const notFound = await classify(settingsOf(nc()), 'ghost');
    expect(notFound.code).toBe(1);
    expect(notFound.stdout).toBe(
      `openvox-enc: NodeClassifier enc: GET ${service.url}/node/ghost: HTTP 404, the classifier does not know ghost\n`,
    );
    expect(notFound.stderr).toBe(notFound.stdout);

    service.answer = () => ({ status: 503, body: 'maintenance' });
    expect(await classify(settingsOf(nc()), 'a')).toMatchObject({
      code: 2,
      stdout: `openvox-enc: NodeClassifier enc: GET ${service.url}/node/a: HTTP 503 maintenance\n`,
    });
    service.answer = () => ({ status: 200, body: '- just\n- a list\n' });
    expect((await classify(settingsOf(nc()), 'a')).stdout).toMatch(/the answer is not a yaml mapping with classes/);
    service.answer = () => ({ status: 200, body: 'classes: web\n' });
    expect((await classify(settingsOf(nc()), 'a')).stdout).toMatch(/classes must be a list or a mapping, got string/);
    service.answer = () => ({ status: 200, body: '{not json' });
    expect((await classify(settingsOf(nc({ response: { format: 'json' } })), 'a')).stdout).toMatch(
      /the answer is not json/,
    );
  });

  it('refuses a certname that could leave the path, and says when the classifier is unusable', async () => {
    const r = await classify(settingsOf(nc()), '../../admin');
    expect(r).toMatchObject({ code: 2 });
    expect(r.stdout).toMatch(/certname "..\/..\/admin" is not a valid name/);
    expect(service.received).toEqual([]);
    const unusable = unusableEncSettings('enc', 'spec.auth.bearer.secretKeyRef: Secret enc-token not found');
    expect(await classify(unusable, 'a')).toMatchObject({
      code: 2,
      stdout: 'openvox-enc: NodeClassifier enc: spec.auth.bearer.secretKeyRef: Secret enc-token not found\n',
    });
  });

  it('times out as configured, and names a classifier that is down', async () => {
    service.answer = () => ({ status: 200, body: '', hang: true });
    const t0 = Date.now();
    const slow = await classify(settingsOf(nc({ timeoutSeconds: 1 })), 'a');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(slow).toMatchObject({ code: 2, stdout: expect.stringMatching(/: no answer within 1 s\n$/) });

    const down = { ...settingsOf(nc()), url: 'http://127.0.0.1:9' };
    const r = await classify(down, 'a');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^openvox-enc: NodeClassifier enc: GET http:\/\/127\.0\.0\.1:9\/node\/a: .*refused/i);
  });

  it('with the cache on, keeps each answer and uses it while the classifier cannot be asked', async () => {
    service.answer = () => ({ status: 200, body: 'classes: [role::cached]\n' });
    const settings = settingsOf(nc({ cache: { enabled: true } }));
    expect((await classify(settings, 'c1')).code).toBe(0);
    service.answer = () => ({ status: 500, body: 'boom' });
    const cached = await classify(settings, 'c1');
    expect(cached).toMatchObject({ code: 0 });
    expect(parse(cached.stdout)).toEqual({ classes: ['role::cached'] });
    expect(cached.stderr).toMatch(/HTTP 500 boom; using the cached classification of c1/);
    // A node the classifier does not know is an answer, not an outage: no fallback.
    service.answer = () => ({ status: 404, body: '' });
    expect((await classify(settings, 'c1')).code).toBe(1);
    // Without a kept answer the failure stands.
    service.answer = () => ({ status: 500, body: 'boom' });
    expect((await classify(settings, 'c2')).code).toBe(2);
  });
});
