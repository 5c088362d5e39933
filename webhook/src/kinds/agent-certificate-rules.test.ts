import type { ValidReview } from '../admission/review.js';
import { kindValidators } from './validate.js';

const handler = kindValidators({ synced: () => true } as never).get(
  '/validate-openvox-voxpupuli-org-v1alpha1-agentcertificate',
)!;

const object = (spec: unknown, status?: unknown) => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'AgentCertificate',
  metadata: { name: 'agent1' },
  spec,
  ...(status ? { status } : {}),
});

function call(spec: unknown, old?: { spec: unknown; status?: unknown }) {
  return handler({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', kind: 'AgentCertificate' },
      resource: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', resource: 'agentcertificates' },
      namespace: 'prod',
      operation: old ? 'UPDATE' : 'CREATE',
      object: object(spec),
      ...(old ? { oldObject: object(old.spec, old.status) } : {}),
    },
  } as ValidReview);
}
const causes = (spec: unknown, old?: { spec: unknown; status?: unknown }) =>
  (call(spec, old).status?.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
const base = { certificateAuthorityRef: 'production-ca', certname: 'agent1.example.com' };

describe('AgentCertificate admission', () => {
  it('allows a mirror without desiredState, and each desired state', () => {
    expect(call(base).allowed).toBe(true);
    for (const desiredState of ['signed', 'revoked', 'cleaned'])
      expect([desiredState, call({ ...base, desiredState }).allowed]).toEqual([desiredState, true]);
    expect(call({ ...base, certname: 'host_with_underscore' }).allowed).toBe(true);
  });

  it('reports every mistake at once, each with its field', () => {
    expect(causes({ certificateAuthorityRef: 'Prod_CA', certname: 'Web/1', desiredState: 'approved' })).toEqual([
      'spec.desiredState: Unsupported value: "approved": must be one of signed, revoked, cleaned',
      "spec.certificateAuthorityRef: Invalid value: \"Prod_CA\": must be a DNS-1123 subdomain: at most 253 lower case letters, digits, '-' or '.', starting and ending with a letter or digit",
      'spec.certname: Invalid value: "Web/1": must be a Puppet certname: printable ASCII without spaces, upper case or \'/\'',
    ]);
    expect(causes({})).toEqual([
      'spec.certificateAuthorityRef: Required value: certificateAuthorityRef must be set',
      'spec.certname: Required value: certname must be set',
    ]);
  });

  it('refuses to change the CA or the certname', () => {
    expect(causes({ certificateAuthorityRef: 'other-ca', certname: 'agent2' }, { spec: base })).toEqual([
      'spec.certificateAuthorityRef: Forbidden: cannot be changed (was "production-ca"): it names the certificate on the CA Server; create another AgentCertificate',
      'spec.certname: Forbidden: cannot be changed (was "agent1.example.com"): it names the certificate on the CA Server; create another AgentCertificate',
    ]);
  });

  it('refuses to sign a revoked certificate and to revoke a pending request, from the stored status', () => {
    expect(causes({ ...base, desiredState: 'signed' }, { spec: base, status: { state: 'revoked' } })).toEqual([
      'spec.desiredState: Invalid value: "signed": the certificate of agent1.example.com is revoked and cannot be signed again: set desiredState cleaned, then sign the agent\'s next request',
    ]);
    expect(causes({ ...base, desiredState: 'revoked' }, { spec: base, status: { state: 'requested' } })).toEqual([
      'spec.desiredState: Invalid value: "revoked": agent1.example.com has a pending request and no certificate to revoke: set desiredState cleaned to delete the request',
    ]);
    // Cleaning is always possible; an unchanged desiredState never blocks another edit.
    expect(call({ ...base, desiredState: 'cleaned' }, { spec: base, status: { state: 'revoked' } }).allowed).toBe(true);
    const signed = { ...base, desiredState: 'signed' };
    expect(call(signed, { spec: signed, status: { state: 'revoked' } }).allowed).toBe(true);
  });
});
