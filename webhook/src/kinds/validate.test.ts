import { kindReview } from './review.test-helpers.js';
import { kindValidators } from './validate.js';

const lookup = { synced: () => true, configExists: () => true, certificateExists: () => true } as never;
const handlers = kindValidators(lookup);

const review = kindReview;

const call = (kind: string, spec: unknown) =>
  handlers.get(`/validate-openvox-voxpupuli-org-v1alpha1-${kind.toLowerCase()}`)!(review(kind, spec));
const fields = (kind: string, spec: unknown) => (call(kind, spec).status?.details?.causes ?? []).map((c) => c.field);

describe('validation of the other kinds', () => {
  it('serves one path per kind', () => {
    expect([...handlers.keys()].sort()).toEqual([
      // Certificate: its certname default. The kinds with CEL rules in their CRD: judged before the CEL stage as well.
      '/mutate-openvox-voxpupuli-org-v1alpha1-certificate',
      '/mutate-openvox-voxpupuli-org-v1alpha1-database',
      '/mutate-openvox-voxpupuli-org-v1alpha1-nodeclassifier',
      '/mutate-openvox-voxpupuli-org-v1alpha1-pool',
      '/mutate-openvox-voxpupuli-org-v1alpha1-reportprocessor',
      '/validate-openvox-voxpupuli-org-v1alpha1-agentcertificate',
      '/validate-openvox-voxpupuli-org-v1alpha1-certificate',
      '/validate-openvox-voxpupuli-org-v1alpha1-certificateauthority',
      '/validate-openvox-voxpupuli-org-v1alpha1-config',
      '/validate-openvox-voxpupuli-org-v1alpha1-database',
      '/validate-openvox-voxpupuli-org-v1alpha1-nodeclassifier',
      '/validate-openvox-voxpupuli-org-v1alpha1-pool',
      '/validate-openvox-voxpupuli-org-v1alpha1-reportprocessor',
      '/validate-openvox-voxpupuli-org-v1alpha1-signingpolicy',
    ]);
  });

  it('allows the examples', () => {
    expect(call('Config', { authorityRef: 'production-ca', image: { repository: 'r', tag: '1' } }).allowed).toBe(true);
    expect(
      call('Certificate', { authorityRef: 'production-ca', certname: 'puppet', dnsAltNames: ['puppet', '10.0.0.1'] })
        .allowed,
    ).toBe(true);
    expect(call('CertificateAuthority', { ttl: '5y' }).allowed).toBe(true);
    expect(call('Pool', {}).allowed).toBe(true);
  });

  it('Pool: a nodePort out of range and without a NodePort type, and a bad port, all at once', () => {
    const response = call('Pool', { service: { type: 'ClusterIP', port: 70000, nodePort: 80 } });
    expect(response.allowed).toBe(false);
    expect(response.status).toMatchObject({ code: 422, reason: 'Invalid', details: { kind: 'Pool', name: 'x' } });
    expect(fields('Pool', { service: { type: 'ClusterIP', port: 70000, nodePort: 80 } })).toEqual([
      'spec.service.port',
      'spec.service.nodePort',
      'spec.service.nodePort',
    ]);
  });

  it('CertificateAuthority: bad durations, external with storage, a bad size and URL', () => {
    expect(
      fields('CertificateAuthority', {
        ttl: '5 years',
        crlRefreshInterval: '5x',
        storage: { size: 'big' },
        external: { url: 'ftp://x' },
      }),
    ).toEqual(['spec.ttl', 'spec.crlRefreshInterval', 'spec.storage.size', 'spec.storage', 'spec.external.url']);
  });

  it('CertificateAuthority: enableInfraCRL true is allowed with a warning that agent revocations stop at the CA', () => {
    const response = call('CertificateAuthority', { enableInfraCRL: true });
    expect(response.allowed).toBe(true);
    expect(response.warnings).toEqual([
      expect.stringMatching(/^spec\.enableInfraCRL: .*still accepted by the non-CA Servers$/),
    ]);
    expect(call('CertificateAuthority', { enableInfraCRL: false }).warnings ?? []).toEqual([]);
  });

  it('Certificate: names and renewBefore', () => {
    expect(
      fields('Certificate', {
        authorityRef: 'Bad_Name',
        certname: 'a b',
        dnsAltNames: ['ok', 'no way'],
        renewBefore: '2w',
      }),
    ).toEqual(['spec.authorityRef', 'spec.certname', 'spec.dnsAltNames[1]', 'spec.renewBefore']);
  });

  it('Config: exactly one code source, and a type mismatch is a cause', () => {
    expect(fields('Config', { image: {}, code: { image: 'i', claimName: 'c' } })).toEqual(['spec.code']);
    expect(fields('Config', { image: 'three' })).toEqual(['spec.image']);
  });

  it('never judges another kind, a DELETE, or an object being deleted', () => {
    expect(
      handlers.get('/validate-openvox-voxpupuli-org-v1alpha1-pool')!(review('Server', { service: { port: 0 } }))
        .allowed,
    ).toBe(true);
    expect(
      handlers.get('/validate-openvox-voxpupuli-org-v1alpha1-pool')!(review('Pool', { service: { port: 0 } }, 'DELETE'))
        .allowed,
    ).toBe(true);
  });
});
