import type { ValidReview } from '../admission/review.js';
import { kindValidators } from './validate.js';
import { globProblem } from './signing-policy-rules.js';

const handler = kindValidators({ synced: () => true } as never).get(
  '/validate-openvox-voxpupuli-org-v1alpha1-signingpolicy',
)!;

function call(spec: unknown) {
  return handler({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', kind: 'SigningPolicy' },
      resource: { group: 'openvox.voxpupuli.org', version: 'v1alpha1', resource: 'signingpolicies' },
      namespace: 'prod',
      operation: 'CREATE',
      object: { apiVersion: 'openvox.voxpupuli.org/v1alpha1', kind: 'SigningPolicy', metadata: { name: 'sp' }, spec },
    },
  } as ValidReview);
}
const causes = (spec: unknown) => (call(spec).status?.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
const psk = { name: 'pp_preshared_key', valueFrom: { secretKeyRef: { name: 'signing-psk', key: 'psk' } } };

describe('SigningPolicy admission', () => {
  it("allows the Go operator's four sample policies unchanged", () => {
    const ca = { certificateAuthorityRef: 'production-ca' };
    for (const spec of [
      { ...ca, any: true },
      { ...ca, pattern: { allow: ['*.example.com', 'web-*'] } },
      { ...ca, csrAttributes: [psk] },
      {
        ...ca,
        pattern: { allow: ['*.example.com'] },
        csrAttributes: [psk, { name: 'pp_environment', value: 'production' }],
      },
    ]) {
      expect([spec, call(spec).allowed]).toEqual([spec, true]);
    }
  });

  it('reports every mistake at once, each with its field, as 422 Invalid', () => {
    const spec = {
      certificateAuthorityRef: 'Production_CA',
      pattern: { allow: ['', 'web[', '*.ok'] },
      dnsAltNames: { allow: ['IP:10.0.0.[', 'x]'] },
      csrAttributes: [
        { name: 'pp_nonsense', value: 'a' },
        { name: 'pp_environment', value: 'a', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        { name: 'pp_preshared_key' },
        { name: '1.3.6.1.4.1.34380.1.1.12', value: 'b' },
        { name: 'challengePassword', valueFrom: { secretKeyRef: { name: 'Bad_Name', key: 'a/b' } } },
      ],
    };
    expect(call(spec).status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: { kind: 'SigningPolicy', name: 'sp' },
    });
    expect(causes(spec)).toEqual([
      expect.stringMatching(
        /^spec.certificateAuthorityRef: Invalid value: "Production_CA": must be a DNS-1123 subdomain/,
      ),
      'spec.pattern.allow[0]: Invalid value: "": a glob pattern must not be empty',
      'spec.pattern.allow[1]: Invalid value: "web[": a glob pattern has a [ without its ]',
      'spec.dnsAltNames.allow[0]: Invalid value: "IP:10.0.0.[": a glob pattern has a [ without its ]',
      'spec.dnsAltNames.allow[1]: Invalid value: "x]": a glob pattern has a ] without its [',
      'spec.csrAttributes[0].name: Invalid value: "pp_nonsense": must be a Puppet attribute name such as pp_preshared_key or a dotted OID',
      'spec.csrAttributes[1]: Forbidden: value and valueFrom are mutually exclusive: set only one',
      'spec.csrAttributes[2].value: Required value: one of value and valueFrom is required',
      // pp_environment by its OID: the same attribute twice could never both match.
      'spec.csrAttributes[3].name: Duplicate value: "1.3.6.1.4.1.34380.1.1.12": the same attribute as csrAttributes[1]',
      expect.stringMatching(/^spec.csrAttributes\[4\].valueFrom.secretKeyRef.name: Invalid value: "Bad_Name"/),
      expect.stringMatching(/^spec.csrAttributes\[4\].valueFrom.secretKeyRef.key: Invalid value: "a\/b"/),
    ]);
  });

  it('refuses any with other fields (they would not restrict it) and a policy without a condition', () => {
    const ca = { certificateAuthorityRef: 'production-ca' };
    expect(causes({ ...ca, any: true, pattern: { allow: ['*'] }, csrAttributes: [] })).toEqual([
      'spec.pattern: Forbidden: must not be set when spec.any is true: any signs regardless of pattern',
      'spec.csrAttributes: Forbidden: must not be set when spec.any is true: any signs regardless of csrAttributes',
    ]);
    expect(causes({ ...ca, dnsAltNames: { allow: ['*'] } })).toEqual([
      'spec: Required value: set spec.any, spec.pattern or spec.csrAttributes: a policy without a condition signs nothing',
    ]);
  });

  it('reports schema mistakes with the rest: a missing CA reference, a string any, an unknown field', () => {
    const fields = (call({ any: 'yes', pattern: { allow: ['*'] }, extra: 1 }).status?.details?.causes ?? []).map(
      (c) => c.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['spec.certificateAuthorityRef', 'spec.any']));
  });
});

describe('globProblem', () => {
  it.each([
    ['*.example.com', undefined],
    ['web-?', undefined],
    ['[a-c]*', undefined],
    ['\\*literal', undefined],
    ['[]]', undefined],
    ['a\\', 'ends with an unfinished \\ escape'],
    ['[', 'has a [ without its ]'],
  ])('%s', (pattern, problem) => {
    expect(globProblem(pattern)).toBe(problem);
  });
});
