// The audit's detectors, shown to fail on the things they guard against.
import { containerFindings, secretLeaks } from './audit.js';

describe('secretLeaks', () => {
  it('finds a PEM private key and base64 Secret data, and passes ordinary lines', () => {
    const pem = '-----BEGIN PRIVATE KEY-----';
    const b64 = Buffer.from(`x${pem}`).toString('base64');
    expect(secretLeaks('log', `ok\n{"msg":"${pem}"}\n{"data":"${b64}"}`)).toEqual([
      { where: 'log:2', what: 'PEM private key' },
      { where: 'log:3', what: 'base64 PEM (Secret data)' },
    ]);
    expect(secretLeaks('log', '{"msg":"certificate signed","serial":"0a1b"}')).toEqual([]);
  });

  it('detects base64 PEM at every byte alignment', () => {
    for (const prefix of ['', 'a', 'ab']) {
      const b64 = Buffer.from(`${prefix}-----BEGIN CERTIFICATE-----`).toString('base64');
      expect(secretLeaks('x', b64)).toHaveLength(1);
    }
  });
});

describe('containerFindings', () => {
  const hardened = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  };
  const deployment = (
    container: object,
    pod: object = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  ) => ({
    metadata: { namespace: 'ns', name: 'd' },
    spec: { template: { spec: { securityContext: pod, containers: [{ name: 'c', securityContext: container }] } } },
  });

  it('accepts a hardened pod and reports each missing control', () => {
    expect(containerFindings(deployment(hardened))).toEqual([]);
    expect(containerFindings(deployment({ ...hardened, allowPrivilegeEscalation: true })).map((f) => f.what)).toEqual([
      'privilege escalation allowed',
    ]);
    expect(containerFindings(deployment({ ...hardened, capabilities: {} })).map((f) => f.what)).toEqual([
      'capabilities not all dropped',
    ]);
    expect(containerFindings(deployment(hardened, {})).map((f) => f.what)).toEqual([
      'seccomp is not RuntimeDefault',
      'may run as root',
    ]);
  });
});
