// SigningPolicy with real agents on the real node: the example policies and a CA Server pod, then
// `puppet agent --test --waitforcert 0` in an agent pod for five certnames. Nobody signs anything by
// hand: the CA Server runs the operator's autosign script for each CSR. A certname the pattern
// allows, and an agent with the right pre-shared key, get their certificate and a catalog at once;
// a stranger, a wrong key and a matching certname that asks for pp_cli_auth (the Go operator's
// advisory #506) stay pending in the CA's inventory. The pre-shared key's Secret is created after
// the CA pod is up: the policy goes from Error to Active and reaches the running pod without a
// restart (the autosign Secret is a directory mount the kubelet refreshes).
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { IMAGES } from '../src/cluster/node/images.js';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { applyExampleCa } from '../src/e2e-support/example-ca.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { API, getObject, type Obj } from '../src/e2e-support/objects.js';
import { agentPod, livePods, podLogs, readyPods, serverExec, waitingReasons } from '../src/e2e-support/pods.js';
import { until } from '../src/e2e-support/poll.js';

const POD_MS = 300_000;
jest.setTimeout(POD_MS + 240_000);

const CA_SELECTOR = 'openvox.voxpupuli.org/server=production-ca';
const AUTOSIGN_POLICY = '/etc/puppetlabs/puppet/autosign/autosign-policy.json';
const caCli = (...args: string[]) => ['puppetserver', 'ca', ...args, '--config', '/etc/puppetlabs/puppet/puppet.conf'];
const note = (line: string) => console.info(`[signing] ${line}`);
const PSK = randomBytes(16).toString('hex');
let ns: string;

const policy = (name: string) => getObject('signingpolicy', name, ns);
const phaseOf = (name: string) => {
  const p = policy(name);
  return p?.status?.phase && { phase: p.status.phase, reason: p.status.conditions?.[0]?.reason };
};

/** The agents: certname, csr_attributes.yaml (written with the yaml package), and what must happen. */
const AGENTS = [
  { certname: 'web1.example.com', attributes: undefined, signed: true },
  { certname: 'stranger.test', attributes: undefined, signed: false },
  { certname: 'psk-good', attributes: { extension_requests: { pp_preshared_key: PSK } }, signed: true },
  { certname: 'psk-bad', attributes: { extension_requests: { pp_preshared_key: `${PSK}x` } }, signed: false },
  // pp_cli_auth by its OID: Puppet 7.23's agent does not know the name (OpenVox 8's does).
  {
    certname: 'admin.example.com',
    attributes: { extension_requests: { '1.3.6.1.4.1.34380.1.3.39': 'true' } },
    signed: false,
  },
];

beforeAll(() => {
  ns = createNamespace('e2e-signing', { runPods: true });
  applyExampleCa(ns);
});

afterAll(() => deleteNamespace(ns));

describe('SigningPolicy at admission', () => {
  const sp = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: API,
    kind: 'SigningPolicy',
    metadata: { name, namespace: ns },
    spec: { certificateAuthorityRef: 'production-ca', ...spec },
  });
  const psk = { name: 'pp_preshared_key', valueFrom: { secretKeyRef: { name: 'signing-psk', key: 'psk' } } };

  it("accepts the Go operator's sample policies unchanged, with strict field validation", () => {
    const samples = [
      sp('auto-approve', { any: true }),
      sp('trusted-hosts', { pattern: { allow: ['*.example.com', 'web-*'] } }),
      sp('bootstrap-key', { csrAttributes: [psk] }),
      sp('trusted-with-psk', {
        pattern: { allow: ['*.example.com'] },
        csrAttributes: [psk, { name: 'pp_environment', value: 'production' }],
      }),
    ];
    const out = kubectlOk(['apply', '--dry-run=server', '--validate=strict', '-n', ns, '-f', '-'], samples);
    // trusted-hosts and bootstrap-key are also the names of examples/ applied above.
    expect(out.match(/(created|configured|unchanged) \(server dry run\)/g)).toHaveLength(4);
  });

  it('refuses a bad policy with every mistake at once, each naming its field', () => {
    const r = kubectl(
      ['apply', '-n', ns, '-f', '-'],
      sp('bad', {
        any: true,
        pattern: { allow: ['web['] },
        csrAttributes: [{ name: 'pp_nonsense', value: 'a', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The SigningPolicy "bad" is invalid:');
    for (const line of [
      'spec.pattern: Forbidden: must not be set when spec.any is true',
      'spec.csrAttributes: Forbidden: must not be set when spec.any is true',
      'spec.pattern.allow[0]: Invalid value: "web["',
      'spec.csrAttributes[0].name: Invalid value: "pp_nonsense"',
      'spec.csrAttributes[0]: Forbidden: value and valueFrom are mutually exclusive',
    ]) {
      expect(r.stderr).toContain(line);
    }
    expect(getObject('signingpolicy', 'bad', ns)).toBeUndefined();
  });

  it('is described for kubectl explain', () => {
    expect(kubectlOk(['explain', 'signingpolicy.spec.csrAttributes.valueFrom'])).toMatch(
      /Exactly one of value and valueFrom/,
    );
    expect(kubectlOk(['explain', 'sp.spec.any'])).toMatch(/Defaults to false/);
  });
});

describe('SigningPolicy with real agents', () => {
  let caPod: Obj;

  it('reports the pattern policy Active and the key policy Error until its Secret exists', async () => {
    await until('trusted-hosts Active', () => phaseOf('trusted-hosts')?.phase === 'Active');
    expect(await until('bootstrap-key Error', () => phaseOf('bootstrap-key'))).toEqual({
      phase: 'Error',
      reason: 'SecretNotFound',
    });
    expect(policy('bootstrap-key').status.conditions[0].message).toBe(
      'csrAttributes[0].valueFrom.secretKeyRef: Secret signing-psk not found',
    );
    // `kubectl get sp` shows the CA and the phase.
    expect(kubectlOk(['get', 'sp', '-n', ns])).toMatch(/bootstrap-key\s+production-ca\s+Error/);
  });

  it('starts the CA Server pod; the key Secret, created afterwards, reaches it without a restart', async () => {
    [caPod] = await until(
      'the CA pod Ready',
      () => readyPods(ns, CA_SELECTOR).length === 1 && readyPods(ns, CA_SELECTOR),
      POD_MS,
      () => livePods(ns, CA_SELECTOR).map((p: Obj) => ({ pod: p.metadata.name, waiting: waitingReasons(p) })),
    );
    kubectlOk(['create', 'secret', 'generic', 'signing-psk', '-n', ns, `--from-literal=psk=${PSK}`]);
    const t0 = Date.now();
    // The controller re-reads users' Secrets each minute; then the kubelet refreshes the volume.
    await until('bootstrap-key Active', () => phaseOf('bootstrap-key')?.phase === 'Active', 120_000);
    const inPod = () =>
      serverExec(ns, caPod.metadata.name, 'grep', '-c', 'bootstrap-key', AUTOSIGN_POLICY).stdout.trim() === '1';
    await until('the key policy in the CA pod', inPod, 180_000);
    note(`the key policy reached the running CA pod ${((Date.now() - t0) / 1000).toFixed(1)} s after its Secret`);
    const now = readyPods(ns, CA_SELECTOR);
    expect(now.map((p: Obj) => p.metadata.uid)).toEqual([caPod.metadata.uid]);
    expect(now[0].status.containerStatuses[0].restartCount).toBe(0);
  });

  it('signs the matching agents with nothing manual; the others stay pending', async () => {
    const server = `production-ca.${ns}.svc`;
    // Each agent in turn, with its own ssldir; its csr_attributes.yaml comes in through the environment.
    const env = AGENTS.flatMap((a, i) =>
      a.attributes ? [{ name: `CSR_ATTRIBUTES_${i}`, value: stringify(a.attributes) }] : [],
    );
    const script = [
      'for i in 0 1 2 3 4; do',
      '  eval "name=\\$CERTNAME_$i attrs=\\${CSR_ATTRIBUTES_$i:-}"',
      // An empty csr_attributes.yaml is an error to Puppet; a missing one means none.
      '  [ -z "$attrs" ] || printf "%s" "$attrs" > /tmp/csr-$i.yaml',
      `  puppet agent --test --server ${server} --ca_server ${server} --certname "$name" --ssldir /tmp/ssl-$i \\`,
      '    --csr_attributes /tmp/csr-$i.yaml --waitforcert 0 > /tmp/log-$i 2>&1; rc=$?',
      '  grep -E "Notice: Applied catalog|Could not request certificate|Couldn.t fetch certificate|Error" /tmp/log-$i | head -3',
      '  echo "RESULT $name $rc"',
      'done',
    ].join('\n');
    const certnames = AGENTS.map((a, i) => ({ name: `CERTNAME_${i}`, value: a.certname }));
    kubectlOk(['apply', '-n', ns, '-f', '-'], agentPod(ns, 'agents', IMAGES.agent, [...certnames, ...env], script));
    const t0 = Date.now();
    await until(
      'the agent runs to finish',
      () => ['Succeeded', 'Failed'].includes(getObject('pod', 'agents', ns)?.status?.phase),
      POD_MS,
      () => podLogs(ns, 'agents', 'agent'),
    );
    const logs = podLogs(ns, 'agents', 'agent', 200);
    note(`${AGENTS.length} agent runs in ${((Date.now() - t0) / 1000).toFixed(1)} s:\n${logs}`);
    const exit = Object.fromEntries([...logs.matchAll(/^RESULT (\S+) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
    // Signed: the run goes on to a catalog (0, or 2 with changes). Not signed: waitforcert 0 ends it with 1.
    expect(exit).toEqual(Object.fromEntries(AGENTS.map((a) => [a.certname, a.signed ? expect.any(Number) : 1])));
    for (const a of AGENTS.filter((x) => x.signed))
      expect([a.certname, exit[a.certname]! & ~2]).toEqual([a.certname, 0]);

    // The CA's own inventory: signed ones among the certificates, the others still requested.
    const inventory = serverExec(ns, caPod.metadata.name, ...caCli('list', '--all'));
    expect(inventory).toMatchObject({ code: 0 });
    const list = inventory.stdout;
    const [requested = '', signed = ''] = list.split(/Signed Certificates:/);
    for (const a of AGENTS) {
      expect([a.certname, a.signed ? signed : requested]).toEqual([a.certname, expect.stringContaining(a.certname)]);
      expect([a.certname, a.signed ? requested : signed]).toEqual([
        a.certname,
        expect.not.stringContaining(a.certname),
      ]);
    }
  });
});
