import { HASHES, authority, certificate, config, server } from '../fixtures.test-helpers.js';
import { renderDeployment } from './deployment.js';

const caInit = (ca = authority(), helperResources?: object) => {
  const d = renderDeployment({
    server: server('production-ca', { ca: true, ...(helperResources ? { helperResources } : {}) }),
    config: config(),
    certificate: certificate(),
    ca,
    hashes: HASHES,
  });
  return d.spec!.template.spec!.initContainers!.find((c) => c.name === 'ca-init')!;
};

describe('CertificateAuthority.resources', () => {
  it("are the ca-init container's, with the helper defaults for what they do not name", () => {
    const ca = authority();
    ca.spec.resources = { requests: { cpu: '200m', memory: '64Mi' }, limits: { memory: '128Mi' } };
    expect(caInit(ca).resources).toEqual({
      requests: { cpu: '200m', 'ephemeral-storage': '8Mi', memory: '64Mi' },
      limits: { 'ephemeral-storage': '32Mi', memory: '128Mi' },
    });
  });

  it('leave the Server helper resources in place when unset', () => {
    const helper = { requests: { cpu: '7m' } };
    expect(caInit(authority(), helper).resources?.requests?.cpu).toBe('7m');
  });
});
