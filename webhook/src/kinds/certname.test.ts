// Certificate certnames at admission: defaulted to the Certificate's name, unique per CA (the holder
// named, field spec.certname, with every other cause at once), and what happens when the cache cannot tell.
import type { AdmissionResponse, ValidReview } from '../admission/review.js';
import { staticReferences, type ReferenceLookup } from '../references/lookup.js';
import { certnameHolders, trimCertificate } from '../references/certname-holders.js';
import { applyCertificateDefaults } from './certificate-defaults.js';
import { UNCHECKED_WARNING } from './certname-rule.js';
import { kindValidators } from './validate.js';

const MUTATE = '/mutate-openvox-voxpupuli-org-v1alpha1-certificate';
const VALIDATE = '/validate-openvox-voxpupuli-org-v1alpha1-certificate';

type Cert = { metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };
const cert = (name: string, spec: Record<string, unknown>): Cert => ({
  metadata: { name, namespace: 'prod' },
  spec: { authorityRef: 'production-ca', ...spec },
});

/** A lookup whose Certificate cache holds `stored` (synced), or cannot tell (not synced). */
function lookup(stored: Cert[] | 'not-synced'): ReferenceLookup {
  return {
    ...staticReferences([]),
    certnameHolders: (ns, ca, certname) =>
      stored === 'not-synced'
        ? undefined
        : certnameHolders(
            stored.filter((c) => c.metadata.namespace === ns),
            ca,
            certname,
          ),
  };
}

function review(object: Cert, operation = 'CREATE', oldObject?: Cert): ValidReview {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', kind: 'Certificate' },
      resource: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', resource: 'certificates' },
      namespace: 'prod',
      name: object.metadata.name,
      operation,
      object: { apiVersion: 'openvox.voxpupuli.org/v1alpha1', kind: 'Certificate', ...object },
      ...(oldObject
        ? { oldObject: { apiVersion: 'openvox.voxpupuli.org/v1alpha1', kind: 'Certificate', ...oldObject } }
        : {}),
    },
  };
}

const run = (path: string, refs: ReferenceLookup, r: ValidReview): AdmissionResponse =>
  kindValidators(refs).get(path)!(r);
const patchOf = (res: AdmissionResponse) => (res.patch ? JSON.parse(Buffer.from(res.patch, 'base64').toString()) : []);

describe('certname default', () => {
  it('is the Certificate name; a set certname is kept; an UPDATE that drops it keeps the stored one', () => {
    expect(applyCertificateDefaults(cert('web', {}) as never).spec).toMatchObject({ certname: 'web' });
    expect(applyCertificateDefaults(cert('web', { certname: '' }) as never).spec).toMatchObject({ certname: 'web' });
    expect(applyCertificateDefaults(cert('web', { certname: 'puppet' }) as never).spec).toMatchObject({
      certname: 'puppet',
    });
    // Migration: an object stored with the old CRD default `puppet` keeps it through a PUT without the field.
    expect(applyCertificateDefaults(cert('web', {}) as never, cert('web', { certname: 'puppet' })).spec).toMatchObject({
      certname: 'puppet',
    });
    // A mistyped value is left for the schema to name.
    expect(applyCertificateDefaults(cert('web', { certname: 7 }) as never).spec).toMatchObject({ certname: 7 });
  });

  it('is patched in by the mutating endpoint, once (its own output gives no patch)', () => {
    const res = run(MUTATE, lookup([]), review(cert('web', {})));
    expect(res.allowed).toBe(true);
    expect(patchOf(res)).toEqual([{ op: 'add', path: '/spec/certname', value: 'web' }]);
    const again = run(MUTATE, lookup([]), review(cert('web', { certname: 'web' })));
    expect(again).toEqual({ uid: 'u-1', allowed: true });
  });
});

describe('unique certnames per CertificateAuthority', () => {
  const holder = cert('production-cert', { certname: 'puppet' });

  it('refuses a second certname under one CA with the holder named, at spec.certname, with every other cause', () => {
    const res = run(
      VALIDATE,
      lookup([holder]),
      review(cert('web', { certname: 'Puppet', renewBefore: 'soon', dnsAltNames: ['bad name'] })),
    );
    expect(res.allowed).toBe(false);
    expect(res.status).toMatchObject({ code: 422, reason: 'Invalid', details: { kind: 'Certificate', name: 'web' } });
    expect(res.status!.details.causes.map((c) => c.field).sort()).toEqual([
      'spec.certname',
      'spec.dnsAltNames[0]',
      'spec.renewBefore',
    ]);
    expect(res.status!.details.causes.find((c) => c.field === 'spec.certname')).toEqual({
      type: 'FieldValueDuplicate',
      field: 'spec.certname',
      message:
        'Duplicate value: "Puppet": already used by Certificate "production-cert" under CertificateAuthority "production-ca": certnames must be unique per CA (set another spec.certname)',
    });
    // The mutating endpoint answers the same, before any patch.
    expect(run(MUTATE, lookup([holder]), review(cert('web', { certname: 'puppet' }))).allowed).toBe(false);
  });

  it('refuses a defaulted certname that another Certificate holds explicitly', () => {
    const res = run(VALIDATE, lookup([cert('other', { certname: 'web' })]), review(cert('web', {})));
    expect(res.status?.details.causes[0]?.message).toContain('already used by Certificate "other"');
  });

  it('allows the same certname under another CA, in another namespace, and the holder itself', () => {
    const elsewhere = { ...cert('b', { certname: 'puppet' }), metadata: { name: 'b', namespace: 'other' } };
    const refs = lookup([cert('a', { certname: 'puppet', authorityRef: 'other-ca' }), elsewhere, holder]);
    expect(run(VALIDATE, refs, review(cert('web', { certname: 'puppet', authorityRef: 'staging-ca' }))).allowed).toBe(
      true,
    );
    expect(run(VALIDATE, refs, review(holder, 'UPDATE', holder))).toEqual({ uid: 'u-1', allowed: true });
  });

  it('on UPDATE refuses a change to a held certname, but only warns when a stored duplicate keeps its certname', () => {
    const dup = cert('web', { certname: 'puppet' });
    const refs = lookup([holder, dup]);
    const kept = run(VALIDATE, refs, review({ ...dup, spec: { ...dup.spec, renewBefore: '30d' } }, 'UPDATE', dup));
    expect(kept.allowed).toBe(true);
    expect(kept.warnings).toEqual([
      'spec.certname "puppet" is already used by Certificate "production-cert" under CertificateAuthority "production-ca": certnames must be unique per CA (set another spec.certname)',
    ]);
    const moved = cert('web', { certname: 'web' });
    expect(run(VALIDATE, refs, review(dup, 'UPDATE', moved)).allowed).toBe(false);
  });

  it('allows with a warning while the Certificate cache has not synced (the controller catches a conflict)', () => {
    const res = run(VALIDATE, lookup('not-synced'), review(cert('web', { certname: 'puppet' })));
    expect(res).toEqual({ uid: 'u-1', allowed: true, warnings: [UNCHECKED_WARNING] });
  });
});

describe('the cache view of a Certificate', () => {
  it('keeps only name, namespace, resourceVersion, authorityRef and certname', () => {
    const full = {
      apiVersion: 'openvox.voxpupuli.org/v1alpha1',
      kind: 'Certificate',
      metadata: { name: 'a', namespace: 'prod', resourceVersion: '7', labels: { x: 'y' }, managedFields: [{}] },
      spec: { authorityRef: 'ca', certname: 'puppet', dnsAltNames: ['x'] },
      status: { phase: 'Signed' },
    };
    trimCertificate(full);
    expect(full).toEqual({
      metadata: { name: 'a', namespace: 'prod', resourceVersion: '7' },
      spec: { authorityRef: 'ca', certname: 'puppet' },
    });
    expect(certnameHolders([full, { metadata: { name: 'b' }, spec: { authorityRef: 'ca' } }], 'ca', 'PUPPET')).toEqual([
      'a',
    ]);
    expect(certnameHolders([full, { metadata: { name: 'b' }, spec: { authorityRef: 'ca' } }], 'ca', 'b')).toEqual([
      'b',
    ]);
  });
});
