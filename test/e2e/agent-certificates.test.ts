// Agent certificates as API objects, on the real node with a real puppetserver CA: one CA Server pod
// (the examples, with the trusted-hosts SigningPolicy) and one agent pod. The agent's request appears
// as an AgentCertificate in state requested; `kubectl patch` of spec.desiredState signs it through the
// CA API (no exec) and the agent's next run gets its catalog; a certname the policy autosigned shows
// signedBy that policy; revoking turns the state to revoked, and the webhook then refuses to sign it
// again. A revocation of a certname the CA Server does not know is refused in status with a Warning.
import { jest } from '@jest/globals';
import { IMAGES } from '../src/cluster/node/images.js';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { applyExampleCa } from '../src/e2e-support/example-ca.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { API, getObject, listObjects, type Obj } from '../src/e2e-support/objects.js';
import { agentPod, livePods, podLogs, readyPods, serverExec, waitingReasons } from '../src/e2e-support/pods.js';
import { until } from '../src/e2e-support/poll.js';

const POD_MS = 300_000;
// The controller lists each CA Server every 30 s (its default); a new request shows within that.
const POLL_MS = 90_000;
jest.setTimeout(POD_MS + 6 * POLL_MS);

const CA_SELECTOR = 'openvox.voxpupuli.org/server=production-ca';
const note = (line: string) => console.info(`[agentcerts] ${line}`);
let ns: string;
let caPod: Obj;

const agentCert = (name: string) => getObject('agentcertificate', name, ns);
const ready = (o: Obj) => o?.status?.conditions?.find((c: Obj) => c.type === 'Ready');
const events = (name: string, reason: string): Obj[] =>
  listObjects('events', ns).filter((e: Obj) => e.involvedObject?.name === name && e.reason === reason);
const patchDesired = (name: string, desiredState: string) =>
  kubectl([
    'patch',
    'agentcertificate',
    name,
    '-n',
    ns,
    '--type',
    'merge',
    '-p',
    JSON.stringify({ spec: { desiredState } }),
  ]);

beforeAll(() => {
  ns = createNamespace('e2e-agentcerts', { runPods: true });
  applyExampleCa(ns);
});

afterAll(() => deleteNamespace(ns));

describe('AgentCertificate at admission', () => {
  it('refuses bad input with every mistake at once, each naming its field', () => {
    const bad = (spec: Record<string, unknown>) =>
      kubectl(['apply', '-n', ns, '-f', '-'], {
        apiVersion: API,
        kind: 'AgentCertificate',
        metadata: { name: 'bad', namespace: ns },
        spec,
      });
    // The enum is the CRD schema's: the API server answers before any webhook.
    const state = bad({ certificateAuthorityRef: 'production-ca', certname: 'agent1', desiredState: 'approved' });
    expect(state.code).not.toBe(0);
    expect(state.stderr).toContain(
      'The AgentCertificate "bad" is invalid: spec.desiredState: Unsupported value: "approved": supported values: "signed", "revoked", "cleaned"',
    );
    // The webhook: both names at once.
    const r = bad({ certificateAuthorityRef: 'Production_CA', certname: 'Web/1' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The AgentCertificate "bad" is invalid:');
    for (const line of [
      'spec.certificateAuthorityRef: Invalid value: "Production_CA": must be a DNS-1123 subdomain',
      'spec.certname: Invalid value: "Web/1": must be a Puppet certname',
    ])
      expect(r.stderr).toContain(line);
    expect(getObject('agentcertificate', 'bad', ns)).toBeUndefined();
    expect(kubectlOk(['explain', 'agentcert.spec.desiredState'])).toMatch(/signed signs the\s+pending request/);
  });
});

describe('AgentCertificate with a real CA Server and agent', () => {
  it('starts the CA Server pod', async () => {
    [caPod] = await until(
      'the CA pod Ready',
      () => readyPods(ns, CA_SELECTOR).length === 1 && readyPods(ns, CA_SELECTOR),
      POD_MS,
      () => livePods(ns, CA_SELECTOR).map((p: Obj) => ({ pod: p.metadata.name, waiting: waitingReasons(p) })),
    );
  });

  it("shows an agent's request as requested and an autosigned agent as signed by its policy", async () => {
    const server = `production-ca.${ns}.svc`;
    // web1.example.com matches trusted-hosts (autosigned); agent1 matches no policy and waits. Then agent1
    // runs again every 3 s until its certificate is there (waitforcert 0: each run only looks).
    const script = [
      'run() {',
      `  puppet agent --test --server ${server} --ca_server ${server} --certname "$1" --ssldir "/tmp/ssl-$1" --waitforcert 0 > /tmp/log 2>&1; rc=$?`,
      '  grep -E "Notice: Applied catalog|Could not request certificate|Couldn.t fetch certificate|Error" /tmp/log | head -3',
      '  echo "RESULT $1 $rc"; return $rc',
      '}',
      'run web1.example.com',
      'run agent1',
      'for i in $(seq 1 150); do sleep 3; run agent1 > /tmp/r 2>&1; rc=$?',
      '  if [ $rc -eq 0 ] || [ $rc -eq 2 ]; then cat /tmp/r; echo "SIGNED-RUN $i"; exit 0; fi',
      'done; echo "NEVER-SIGNED"; exit 1',
    ].join('\n');
    kubectlOk(['apply', '-n', ns, '-f', '-'], agentPod(ns, 'agents', IMAGES.agent, [], script));
    await until(
      'the first two agent runs',
      () => /RESULT agent1 \d+/.test(podLogs(ns, 'agents', 'agent')),
      POD_MS,
      () => podLogs(ns, 'agents', 'agent'),
    );
    const logs = podLogs(ns, 'agents', 'agent');
    expect(logs).toMatch(/RESULT web1\.example\.com [02]\n/);
    expect(logs).toMatch(/RESULT agent1 1\n/);

    const t0 = Date.now();
    const requested = await until(
      'agent1 as AgentCertificate requested',
      () => agentCert('agent1')?.status?.state === 'requested' && agentCert('agent1'),
      POLL_MS,
      () => listObjects('agentcertificates', ns).map((o: Obj) => [o.metadata.name, o.status]),
    );
    note(
      `agent1's request showed as an AgentCertificate ${((Date.now() - t0) / 1000).toFixed(1)} s after the agent run`,
    );
    expect(requested.spec).toEqual({ certificateAuthorityRef: 'production-ca', certname: 'agent1' });
    expect(requested.status.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(requested.metadata.ownerReferences).toMatchObject([{ kind: 'CertificateAuthority', name: 'production-ca' }]);

    const web1 = await until(
      'web1 signed by its policy',
      () => agentCert('web1.example.com')?.status?.signedBy && agentCert('web1.example.com'),
      POLL_MS,
      () => agentCert('web1.example.com')?.status,
    );
    expect(web1.status).toMatchObject({ state: 'signed', signedBy: 'policy trusted-hosts' });
    expect(web1.status.notAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(web1.status.serial).toMatch(/^[0-9a-f]+$/);

    // kubectl get: certname, state, fingerprint and expiry columns; the short name works.
    const table = kubectlOk(['get', 'agentcert', '-n', ns]);
    note(`kubectl get agentcert:\n${table}`);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+CERTNAME\s+STATE\s+FINGERPRINT\s+NOTAFTER\s+AGE$/);
    expect(table).toMatch(/\nagent1\s+agent1\s+requested\s+[0-9A-F:]+\s+\S+/);
    expect(table).toMatch(/\nweb1\.example\.com\s+web1\.example\.com\s+signed\s+[0-9A-F:]+\s+\d{4}-/);
  });

  it("signs agent1 with kubectl patch: the status says signed and the agent's next run gets its catalog", async () => {
    const patch = patchDesired('agent1', 'signed');
    expect(patch).toMatchObject({ code: 0 });
    const t0 = Date.now();
    const signed = await until(
      'agent1 signed',
      () => agentCert('agent1')?.status?.state === 'signed' && agentCert('agent1'),
      POLL_MS,
      () => agentCert('agent1')?.status,
    );
    note(`signed ${((Date.now() - t0) / 1000).toFixed(1)} s after kubectl patch`);
    expect(signed.status).toMatchObject({
      signedBy: 'spec.desiredState',
      observedGeneration: signed.metadata.generation,
    });
    expect(ready(signed)).toMatchObject({ status: 'True', reason: 'DesiredStateReached' });
    expect(events('agent1', 'Signed')[0]).toMatchObject({ type: 'Normal' });
    await until(
      'the agent pod to finish',
      () => ['Succeeded', 'Failed'].includes(getObject('pod', 'agents', ns)?.status?.phase),
      POD_MS,
      () => podLogs(ns, 'agents', 'agent'),
    );
    const logs = podLogs(ns, 'agents', 'agent', 50);
    note(`agent log after signing:\n${logs}`);
    expect(logs).toMatch(/RESULT agent1 [02]\n/);
    expect(logs).toContain('Notice: Applied catalog');
    expect(getObject('pod', 'agents', ns).status.phase).toBe('Succeeded');
    // The CA's own inventory agrees (read in the pod only to check, never to act).
    const list = serverExec(
      ns,
      caPod.metadata.name,
      'puppetserver',
      'ca',
      'list',
      '--certname',
      'agent1',
      '--config',
      '/etc/puppetlabs/puppet/puppet.conf',
    );
    expect(list.stdout).toMatch(/Signed Certificates:\s+agent1/);
  });

  it('revokes agent1: state revoked; signing it again is refused at admission with the reason', async () => {
    expect(patchDesired('agent1', 'revoked')).toMatchObject({ code: 0 });
    const revoked = await until(
      'agent1 revoked',
      () => agentCert('agent1')?.status?.state === 'revoked' && agentCert('agent1'),
      POLL_MS,
      () => agentCert('agent1')?.status,
    );
    expect(ready(revoked)).toMatchObject({ status: 'True' });
    expect(events('agent1', 'Revoked')[0]).toMatchObject({ type: 'Normal' });
    const again = patchDesired('agent1', 'signed');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(
      'spec.desiredState: Invalid value: "signed": the certificate of agent1 is revoked and cannot be signed again: set desiredState cleaned',
    );
  });

  it('refuses to revoke a certname the CA Server does not know, in status and a Warning Event', async () => {
    kubectlOk(['apply', '-n', ns, '-f', '-'], {
      apiVersion: API,
      kind: 'AgentCertificate',
      metadata: { name: 'ghost', namespace: ns },
      spec: { certificateAuthorityRef: 'production-ca', certname: 'ghost.example.org', desiredState: 'revoked' },
    });
    const refused = await until(
      'ghost refused',
      () => ready(agentCert('ghost'))?.reason === 'UnknownCertname' && agentCert('ghost'),
      POLL_MS,
      () => agentCert('ghost')?.status,
    );
    expect(ready(refused)).toMatchObject({
      status: 'False',
      message: 'cannot revoke: the CA Server has no request or certificate for ghost.example.org',
    });
    expect(refused.status.state).toBeUndefined();
    await until('a Warning Event', () => events('ghost', 'UnknownCertname')[0]);
    expect(events('ghost', 'UnknownCertname')[0].type).toBe('Warning');
  });
});
