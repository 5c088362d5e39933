// Unique certnames and visible CRL freshness, as a user meets them with kubectl on the real API server:
// - a Certificate without spec.certname gets its own name; a second Certificate with a held certname
//   is refused at admission with the holder named (with every other mistake at once); where the
//   webhook is bypassed, the controller reports the later one (CertnameConflict) and issues nothing;
// - on real pods: a CA Server Ready, its CA CRLSynced True with a CRL number; `puppetserver ca revoke`
//   in the CA pod (kubectl exec) makes the number rise in the CA's status, in an Event, in the metrics
//   and in a non-CA Server's status; the CA Server scaled to 0 turns CRLSynced False with the reason,
//   and True again once it is back.
import { jest } from '@jest/globals';
import { readCrl } from '@openvox/shared/runtime';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { SMALL_JAVA_ARGS } from '../src/e2e-support/example-ca.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { API, KIND, getObject, listObjects, type Obj } from '../src/e2e-support/objects.js';
import { metricsText } from '../src/e2e-support/operator-control.js';
import { livePods, readyPods, waitingReasons } from '../src/e2e-support/pods.js';
import { until } from '../src/e2e-support/poll.js';
import { WEBHOOK_BYPASS_LABEL } from '../src/operator/webhook-configurations.js';

const POD_MS = 240_000;
jest.setTimeout(POD_MS + 60_000);

const note = (line: string) => console.info(`[certnames-crl] ${line}`);
const apply = (ns: string, obj: unknown) => kubectlOk(['apply', '-n', ns, '-f', '-'], obj);
const cert = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: API,
  kind: 'Certificate',
  metadata: { name },
  spec: { authorityRef: 'production-ca', ...spec },
});
const condition = (obj: Obj, type: string) => obj?.status?.conditions?.find((c: Obj) => c.type === type);
const events = (ns: string, name: string, reason: string): Obj[] =>
  listObjects('events', ns).filter((e: Obj) => e.involvedObject?.name === name && e.reason === reason);

describe('unique certnames', () => {
  let ns: string;
  let bypass: string;
  beforeAll(() => {
    ns = createNamespace('e2e-certnames');
    bypass = createNamespace('e2e-certnames-bypass', { labels: { [WEBHOOK_BYPASS_LABEL]: 'true' } });
    for (const n of [ns, bypass])
      apply(n, { apiVersion: API, kind: 'CertificateAuthority', metadata: { name: 'production-ca' }, spec: {} });
  });
  afterAll(() => {
    deleteNamespace(ns);
    deleteNamespace(bypass);
  });

  it('defaults spec.certname to the Certificate name, and issues the certificate for it', async () => {
    apply(ns, cert('web'));
    expect(kubectlOk(['get', KIND.certificate, 'web', '-n', ns, '-o', 'jsonpath={.spec.certname}'])).toBe('web');
    await until(
      'Certificate web Signed',
      () => getObject(KIND.certificate, 'web', ns)?.status?.phase === 'Signed',
      90_000,
    );
    // The printer column shows it too.
    expect(kubectlOk(['get', KIND.certificate, 'web', '-n', ns])).toMatch(/web\s+production-ca\s+web\s+Signed/);
  });

  it('refuses a second Certificate with a held certname, naming the holder, with every other mistake at once', () => {
    apply(ns, cert('first', { certname: 'puppet' }));
    const r = kubectl(['apply', '-n', ns, '-f', '-'], cert('second', { certname: 'puppet', renewBefore: 'soon' }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Certificate "second" is invalid:');
    expect(r.stderr).toContain(
      'spec.certname: Duplicate value: "puppet": already used by Certificate "first" under CertificateAuthority "production-ca": certnames must be unique per CA (set another spec.certname)',
    );
    expect(r.stderr).toContain('spec.renewBefore: Invalid value: "soon"');
    expect(getObject(KIND.certificate, 'second', ns)).toBeUndefined();
    // A defaulted certname collides too: `web` is held by the Certificate web.
    const defaulted = kubectl(['apply', '-n', ns, '-f', '-'], cert('other', { certname: 'web' }));
    expect(defaulted.stderr).toContain('already used by Certificate "web"');
    // Under another CA the same certname is free (the webhook warns that the CA does not exist yet: no).
    apply(ns, cert('elsewhere', { certname: 'puppet', authorityRef: 'staging-ca' }));
  });

  it('where the webhook is bypassed, the controller reports the later Certificate and issues nothing for it', async () => {
    apply(bypass, cert('holder', { certname: 'puppet' }));
    await until(
      'Certificate holder Signed',
      () => getObject(KIND.certificate, 'holder', bypass)?.status?.phase === 'Signed',
      90_000,
    );
    apply(bypass, cert('latecomer', { certname: 'puppet' }));
    const late = await until(
      'Certificate latecomer reported',
      () => {
        const c = getObject(KIND.certificate, 'latecomer', bypass);
        return condition(c, 'CertSigned')?.reason === 'CertnameConflict' && c;
      },
      60_000,
    );
    expect(late.status.phase).toBe('Error');
    expect(condition(late, 'CertSigned')).toMatchObject({
      status: 'False',
      message:
        'certname "puppet" is already used by Certificate "holder" under CertificateAuthority "production-ca": set a unique spec.certname',
    });
    expect(getObject('secret', 'latecomer-tls', bypass)).toBeUndefined();
    expect(events(bypass, 'latecomer', 'CertnameConflict')[0]).toMatchObject({ type: 'Warning' });
    // Without the mutating webhook the stored object has no certname; the certificate still carries its own name.
    apply(bypass, cert('plain'));
    expect(getObject(KIND.certificate, 'plain', bypass).spec.certname).toBeUndefined();
    await until('Secret plain-tls', () => getObject('secret', 'plain-tls', bypass), 60_000);
  });
});

describe('CRL freshness on real pods', () => {
  let ns: string;
  const CA_SELECTOR = 'openvox.voxpupuli.org/server=production-ca';
  const ca = () => getObject(KIND.ca, 'production-ca', ns);
  const caCli = (...args: string[]) =>
    kubectl([
      'exec',
      '-n',
      ns,
      'deploy/production-ca',
      '-c',
      'openvox-server',
      '--',
      'puppetserver',
      'ca',
      ...args,
      '--config',
      '/etc/puppetlabs/puppet/puppet.conf',
    ]);
  const explain = () => () =>
    livePods(ns, CA_SELECTOR).map((p: Obj) => ({
      pod: p.metadata.name,
      phase: p.status?.phase,
      waiting: waitingReasons(p),
    }));
  const metric = async (name: string) => {
    const line = (await metricsText())
      .split('\n')
      .find((l) => l.startsWith(`${name}{`) && l.includes(`namespace="${ns}"`) && l.includes('name="production-ca"'));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  const caServer = (replicas: number) => ({
    apiVersion: API,
    kind: 'Server',
    metadata: { name: 'production-ca' },
    spec: {
      configRef: 'production',
      certificateRef: 'production-cert',
      poolRefs: ['production-ca'],
      ca: true,
      replicas,
      javaArgs: SMALL_JAVA_ARGS,
    },
  });

  beforeAll(() => {
    ns = createNamespace('e2e-crl', { runPods: true });
    apply(ns, [
      // A short refresh interval so the test sees a refresh within seconds.
      {
        apiVersion: API,
        kind: 'CertificateAuthority',
        metadata: { name: 'production-ca' },
        spec: { crlRefreshInterval: '5s' },
      },
      {
        apiVersion: API,
        kind: 'Config',
        metadata: { name: 'production' },
        spec: {
          authorityRef: 'production-ca',
          image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
        },
      },
      cert('production-cert', { certname: 'puppet' }),
      cert('compiler-cert'),
      { apiVersion: API, kind: 'Pool', metadata: { name: 'production-ca' } },
      caServer(1),
      // A non-CA Server without pods: its status says which CRL its pods would get.
      {
        apiVersion: API,
        kind: 'Server',
        metadata: { name: 'compiler' },
        spec: { configRef: 'production', certificateRef: 'compiler-cert', ca: false, replicas: 0 },
      },
    ]);
  });
  afterAll(() => deleteNamespace(ns));

  let before: number;

  it('the CA Server is Ready and its CA reports CRLSynced True with the CRL number', async () => {
    const t0 = Date.now();
    await until('the CA pod Ready', () => readyPods(ns, CA_SELECTOR).length === 1, POD_MS, explain());
    note(`CA pod Ready ${((Date.now() - t0) / 1000).toFixed(1)} s after apply`);
    const synced = await until(
      'CRLSynced True',
      () => condition(ca(), 'CRLSynced')?.status === 'True' && ca(),
      60_000,
      () => condition(ca(), 'CRLSynced'),
    );
    note(
      `CRLSynced True ${((Date.now() - t0) / 1000).toFixed(1)} s after apply: ${condition(synced, 'CRLSynced').message}`,
    );
    expect(condition(synced, 'CRLSynced').reason).toBe('CRLCurrent');
    before = synced.status.crlNumber;
    expect(before).toBeGreaterThanOrEqual(1);
    expect(Date.parse(synced.status.crlThisUpdate)).toBeGreaterThan(0);
    // Until the pod answered, the refresh failed and said so (the CA Server starts after its CA).
    expect(events(ns, 'production-ca', 'CRLRefreshFailed').length).toBeGreaterThanOrEqual(1);
    expect(await metric('openvox_ca_crl_synced')).toBe(1);
    expect(await metric('openvox_ca_crl_number')).toBe(before);
    expect(await metric('openvox_ca_crl_age_seconds')).toBeGreaterThanOrEqual(0);
    // The printer columns show it.
    expect(kubectlOk(['get', KIND.ca, 'production-ca', '-n', ns])).toMatch(
      new RegExp(`production-ca\\s+Ready\\s+${before}\\s+True`),
    );
  });

  it('a revocation with puppetserver ca revoke raises the CRL number in status, an Event, the metrics and the Server status', async () => {
    // A signed agent certname, made on the CA as a user would.
    const generated = caCli('generate', '--certname', 'agent1');
    expect({ code: generated.code, out: generated.stdout + generated.stderr }).toMatchObject({ code: 0 });
    const revoked = caCli('revoke', '--certname', 'agent1');
    expect(revoked.stdout).toContain('Certificate for agent1 has been revoked');
    const t0 = Date.now();
    const after = await until(
      'the CA status CRL number to rise',
      () => (ca()?.status?.crlNumber ?? 0) > before && ca(),
      60_000,
      () => ca()?.status,
    );
    note(
      `CRL number ${before} → ${after.status.crlNumber} in the CA status ${((Date.now() - t0) / 1000).toFixed(1)} s after the revoke`,
    );
    const n = after.status.crlNumber;
    const published = readCrl(
      Buffer.from(getObject('secret', 'production-ca-ca-crl', ns).data['ca_crl.pem'], 'base64').toString(),
    );
    expect(Number(published.crlNumber)).toBe(n);
    expect(published.revokedSerials.length).toBeGreaterThanOrEqual(1);
    const event = await until('a CRLUpdated Event', () =>
      events(ns, 'production-ca', 'CRLUpdated').find((e: Obj) => e.message.startsWith(`CRL number ${n} `)),
    );
    expect(event.message).toMatch(
      new RegExp(
        `^CRL number ${n} from the CA Server at https://production-ca\\.${ns}\\.svc:8140 published in Secret production-ca-ca-crl \\(was \\d+\\)$`,
      ),
    );
    expect(await metric('openvox_ca_crl_number')).toBe(n);
    await until(
      'Server compiler reports the CRL number',
      () => getObject(KIND.server, 'compiler', ns)?.status?.crlNumber === n,
    );
  });

  it('the CA Server scaled to 0: CRLSynced False with the reason; back to True once it is Ready again', async () => {
    apply(ns, caServer(0));
    const t0 = Date.now();
    const down = await until(
      'CRLSynced False',
      () => condition(ca(), 'CRLSynced')?.status === 'False' && ca(),
      60_000,
      () => condition(ca(), 'CRLSynced'),
    );
    note(
      `CRLSynced False ${((Date.now() - t0) / 1000).toFixed(1)} s after scaling to 0: ${condition(down, 'CRLSynced').message}`,
    );
    expect(condition(down, 'CRLSynced').reason).toBe('CAServerUnreachable');
    expect(condition(down, 'CRLSynced').message).toContain(
      `Cannot fetch the CRL from the CA Server at https://production-ca.${ns}.svc:8140`,
    );
    expect(condition(down, 'CRLSynced').message).toContain('retrying with backoff');
    // Nothing lost: the CA stays Ready with the CRL it published.
    expect(down.status).toMatchObject({ phase: 'Ready' });
    expect(down.status.crlNumber).toBeGreaterThan(before);
    expect(await metric('openvox_ca_crl_synced')).toBe(0);
    expect(await metric('openvox_ca_crl_refresh_failures_total')).toBeGreaterThanOrEqual(1);

    apply(ns, caServer(1));
    const t1 = Date.now();
    await until('the CA pod Ready again', () => readyPods(ns, CA_SELECTOR).length === 1, POD_MS, explain());
    const back = await until(
      'CRLSynced True again',
      () => condition(ca(), 'CRLSynced')?.status === 'True' && ca(),
      60_000,
    );
    note(`CRLSynced True ${((Date.now() - t1) / 1000).toFixed(1)} s after scaling back to 1`);
    expect(condition(back, 'CRLSynced').reason).toBe('CRLCurrent');
    expect(events(ns, 'production-ca', 'CRLRefreshRecovered').length).toBeGreaterThanOrEqual(1);
    expect(await metric('openvox_ca_crl_synced')).toBe(1);
  });
});
