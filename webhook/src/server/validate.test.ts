import { validate } from './validate.js';
import { createSpecValidator, schemaRule } from './rules/index.js';
import { noReferences, staticReferences, type ReferenceLookup } from '../references/lookup.js';
import { fullServer, seedServer, serverReview } from '../testing/fixtures.js';
import type { AdmissionRequest, AdmissionResponse } from '../admission/review.js';

const schema = schemaRule(createSpecValidator());
type Spec = Record<string, unknown>;

function run(
  spec: Spec,
  opts: { name?: string; request?: Partial<AdmissionRequest>; references?: ReferenceLookup } = {},
): AdmissionResponse {
  const object = {
    apiVersion: 'openvox.voxpupuli.org/v1alpha1',
    kind: 'Server',
    metadata: { name: opts.name ?? 'web', namespace: 'prod' },
    spec,
  };
  return validate(serverReview(object, { namespace: 'prod', ...opts.request }), {
    schemaRule: schema,
    references: opts.references ?? noReferences,
  });
}

const base: Spec = { configRef: 'production', certificateRef: 'production-cert' };
const causes = (spec: Spec, opts?: Parameters<typeof run>[1]) =>
  run({ ...base, ...spec }, opts).status?.details.causes ?? [];
const fields = (spec: Spec, opts?: Parameters<typeof run>[1]) => causes(spec, opts).map((c) => c.field);
const warnings = (spec: Spec, opts?: Parameters<typeof run>[1]) => run({ ...base, ...spec }, opts).warnings ?? [];

describe('validate: allowed objects', () => {
  it('allows the seed example and a full production Server without warnings', () => {
    for (const object of [seedServer(), fullServer()]) {
      const response = validate(serverReview(object), { schemaRule: schema, references: noReferences });
      expect(response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
    }
  });
});

describe('validate: denial shape', () => {
  it('lists all three violations of one Server as three causes of one 422 Invalid response', () => {
    const response = run({
      configRef: 'production',
      certificateRef: 'cert',
      replicas: -1,
      pdb: { minAvailable: 1, maxUnavailable: 1 },
      autoscaling: { targetCPU: 0 },
    });
    expect(response.allowed).toBe(false);
    expect(response.uid).toBe('705ab4f5-6393-11e8-b7cc-42010a800002');
    const status = response.status!;
    expect(status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: { name: 'web', group: 'openvox.voxpupuli.org', kind: 'Server' },
    });
    expect(status.details.causes.map((c) => c.field)).toEqual([
      'spec.pdb',
      'spec.autoscaling.targetCPU',
      'spec.replicas',
    ]);
    for (const cause of status.details.causes) {
      expect(status.message).toContain(`${cause.field}: ${cause.message}`);
      expect(cause.type).toMatch(/^FieldValue/);
    }
    expect(status.message.startsWith('Server.openvox.voxpupuli.org "web" is invalid: [')).toBe(true);
  });

  it('names the object from request.name or generateName when metadata.name is missing', () => {
    const object = { metadata: { generateName: 'Bad_' }, spec: base };
    const response = validate(serverReview(object), { schemaRule: schema, references: noReferences });
    expect(response.status?.details.name).toBe('Bad_');
    expect(response.status?.details.causes.map((c) => c.field)).toEqual(['metadata.generateName']);
  });
});

describe('rule 1: configRef and certificateRef', () => {
  it('requires both', () => {
    const got = run({});
    expect(got.status?.details.causes).toEqual([
      expect.objectContaining({ field: 'spec.configRef', type: 'FieldValueRequired' }),
      expect.objectContaining({ field: 'spec.certificateRef', type: 'FieldValueRequired' }),
    ]);
    expect(fields({ configRef: '', certificateRef: '' })).toEqual(['spec.configRef', 'spec.certificateRef']);
  });

  it('requires DNS-1123 subdomain names', () => {
    expect(fields({ configRef: 'Prod_Config', certificateRef: 'cert.example-1' })).toEqual(['spec.configRef']);
    expect(fields({ certificateRef: 'a'.repeat(254) })).toEqual(['spec.certificateRef']);
    expect(fields({ configRef: '-x' })).toEqual(['spec.configRef']);
    expect(fields({ configRef: 'a.b-c.d' })).toEqual([]);
  });
});

describe('rule 2: minAvailable and maxUnavailable are mutually exclusive', () => {
  it.each([true, false, undefined])('denies both set (enabled %p) with a message naming both', (enabled) => {
    const [cause, ...rest] = causes({ pdb: { enabled, minAvailable: 1, maxUnavailable: '10%' } });
    expect(rest).toEqual([]);
    expect(cause?.field).toBe('spec.pdb');
    expect(cause?.message).toContain('minAvailable and maxUnavailable are mutually exclusive');
  });

  it('allows either one alone', () => {
    expect(fields({ pdb: { enabled: true, minAvailable: 0 } })).toEqual([]);
    expect(fields({ pdb: { enabled: true, maxUnavailable: '100%' } })).toEqual([]);
  });
});

describe('rule 3: PDB budgets', () => {
  it.each([0, 1, 2147483647, '0%', '50%', '100%'])('allows %p', (value) => {
    expect(fields({ pdb: { minAvailable: value } })).toEqual([]);
    expect(fields({ pdb: { maxUnavailable: value } })).toEqual([]);
  });

  it.each([-1, 2147483648, '101%', '-5%', '5', 'half', '50 %'])('denies %p, enabled or not', (value) => {
    expect(fields({ pdb: { minAvailable: value } })).toEqual(['spec.pdb.minAvailable']);
    expect(fields({ pdb: { enabled: true, maxUnavailable: value } })).toEqual(['spec.pdb.maxUnavailable']);
  });
});

describe('rule 4: autoscaling bounds', () => {
  it('requires minReplicas >= 1', () => {
    expect(fields({ autoscaling: { minReplicas: 0 } })).toEqual(['spec.autoscaling.minReplicas']);
  });

  it('requires maxReplicas >= minReplicas, with minReplicas defaulted first', () => {
    expect(fields({ autoscaling: { minReplicas: 4, maxReplicas: 3 } })).toEqual(['spec.autoscaling.maxReplicas']);
    expect(fields({ autoscaling: { maxReplicas: 0 } })).toEqual(['spec.autoscaling.maxReplicas']);
    expect(fields({ autoscaling: { minReplicas: 3, maxReplicas: 3 } })).toEqual([]);
  });

  it('requires targetCPU in 1..100, enabled or not', () => {
    expect(fields({ autoscaling: { targetCPU: 0 } })).toEqual(['spec.autoscaling.targetCPU']);
    expect(fields({ autoscaling: { enabled: true, targetCPU: 101 } })).toEqual(['spec.autoscaling.targetCPU']);
    expect(fields({ autoscaling: { targetCPU: 1 } })).toEqual([]);
    expect(fields({ autoscaling: { targetCPU: 100 } })).toEqual([]);
  });
});

describe('rule 5: counts and int32 range', () => {
  it('requires replicas >= 0 and maxActiveInstances >= 1', () => {
    expect(fields({ replicas: -1 })).toEqual(['spec.replicas']);
    expect(fields({ replicas: 0 })).toEqual([]);
    expect(fields({ maxActiveInstances: 0 })).toEqual(['spec.maxActiveInstances']);
  });

  it.each([
    ['replicas', { replicas: 2147483648 }, 'spec.replicas'],
    ['maxActiveInstances', { maxActiveInstances: -2147483649 }, 'spec.maxActiveInstances'],
    ['autoscaling.maxReplicas', { autoscaling: { maxReplicas: 2 ** 40 } }, 'spec.autoscaling.maxReplicas'],
  ])('keeps %s within int32', (_name, spec, field) => {
    const [cause, ...rest] = causes(spec);
    expect(rest).toEqual([]);
    expect(cause).toMatchObject({ field, message: expect.stringContaining('32-bit integer') });
  });
});

describe('rule 6: a CA runs as one pod', () => {
  it('denies ca with more than one replica, on spec.replicas', () => {
    expect(fields({ ca: true, replicas: 2 })).toEqual(['spec.replicas']);
    expect(fields({ ca: true, replicas: 1 })).toEqual([]);
    expect(fields({ ca: false, replicas: 2 })).toEqual([]);
  });

  it('denies ca with autoscaling enabled, on spec.autoscaling.enabled', () => {
    expect(fields({ ca: true, autoscaling: { enabled: true } })).toEqual(['spec.autoscaling.enabled']);
    expect(fields({ ca: true, autoscaling: { enabled: false } })).toEqual([]);
  });
});

describe('rule 7: the pod serves something', () => {
  it('denies server false with ca false (also when ca is defaulted), on spec.server', () => {
    expect(fields({ server: false, ca: false })).toEqual(['spec.server']);
    expect(fields({ server: false })).toEqual(['spec.server']);
    expect(fields({ server: false, ca: true })).toEqual([]);
  });
});

describe('rule 8: javaArgs and resources', () => {
  it.each(['-Xms1g -Xmx2g', '-Xms512M -Xmx1G', '-Xmx1048576', '-Xms1t -Xmx2T', '-XX:+UseG1GC', '-Xms64k -Xmx64K'])(
    'allows %p',
    (javaArgs) => {
      expect(fields({ javaArgs })).toEqual([]);
    },
  );

  it.each(['-Xmx2gb', '-Xms1.5g -Xmx2g', '-Xmx', '-Xms2x', '-Xmx2Gi'])('denies %p', (javaArgs) => {
    expect(fields({ javaArgs })).toEqual(['spec.javaArgs']);
  });

  it('denies -Xms larger than -Xmx', () => {
    const [cause] = causes({ javaArgs: '-Xms4g -Xmx2g' });
    expect(cause).toMatchObject({
      field: 'spec.javaArgs',
      message: expect.stringContaining('-Xms4g must not be larger than -Xmx2g'),
    });
    expect(fields({ javaArgs: '-Xms2048m -Xmx2g' })).toEqual([]);
  });

  it('denies resource quantities that do not parse, with the quantity path', () => {
    expect(fields({ resources: { limits: { memory: '4GB', cpu: '2' }, requests: { cpu: 'two' } } })).toEqual([
      'spec.resources.requests.cpu',
      'spec.resources.limits.memory',
    ]);
    expect(
      fields({ helperResources: { limits: { 'ephemeral-storage': '32MB' }, requests: { memory: '8Mi' } } }),
    ).toEqual(['spec.helperResources.limits.ephemeral-storage']);
  });
});

describe('rule 9: poolRefs', () => {
  it('requires DNS-1123 labels without duplicates', () => {
    expect(fields({ poolRefs: ['a', 'B', 'a.b', 'x'.repeat(64), 'ok'] })).toEqual([
      'spec.poolRefs[1]',
      'spec.poolRefs[2]',
      'spec.poolRefs[3]',
    ]);
    const dup = causes({ poolRefs: ['a', 'b', 'a'] });
    expect(dup).toEqual([expect.objectContaining({ field: 'spec.poolRefs[2]', type: 'FieldValueDuplicate' })]);
  });
});

describe('rule 10: code', () => {
  it('needs exactly one of image and claimName', () => {
    expect(fields({ code: { image: 'i', claimName: 'c' } })).toEqual(['spec.code']);
    expect(fields({ code: {} })).toEqual(['spec.code']);
    expect(fields({ code: { image: 'i' } })).toEqual([]);
    expect(fields({ code: { claimName: 'c' } })).toEqual([]);
  });
});

describe('rule 11: metadata.name', () => {
  it.each(['Prod', 'a_b', 'a.b', '-a', 'a'.repeat(64)])('denies %p', (name) => {
    expect(fields({}, { name })).toEqual(['metadata.name']);
  });

  it('allows a 63-character label', () => {
    expect(fields({}, { name: 'a'.repeat(63) })).toEqual([]);
  });
});

describe('rule 12: type mismatches are causes', () => {
  it('reports replicas: "three" as a cause on spec.replicas together with other violations', () => {
    const got = causes({ replicas: 'three', ca: 'yes', pdb: { minAvailable: 1, maxUnavailable: 1 } });
    expect(got.map((c) => c.field).sort()).toEqual(['spec.ca', 'spec.pdb', 'spec.replicas']);
    expect(got.find((c) => c.field === 'spec.replicas')).toEqual({
      type: 'FieldValueTypeInvalid',
      field: 'spec.replicas',
      message: 'Invalid value: "three": must be of type integer',
    });
  });

  it('reports a bad enum and a spec that is not an object', () => {
    expect(causes({ image: { pullPolicy: 'Sometimes' } })).toEqual([
      {
        type: 'FieldValueNotSupported',
        field: 'spec.image.pullPolicy',
        message: 'Unsupported value: "Sometimes": must be one of Always, IfNotPresent, Never',
      },
    ]);
    expect(causes({ poolRefs: ['a', 7] })).toEqual([
      expect.objectContaining({ field: 'spec.poolRefs[1]', message: 'Invalid value: 7: must be of type string' }),
    ]);
    const response = validate(serverReview({ metadata: { name: 'x' }, spec: 'nope' }), {
      schemaRule: schema,
      references: noReferences,
    });
    expect(response.status?.details.causes.map((c) => c.field)).toContain('spec');
  });
});

describe('warnings', () => {
  it('warns when -Xmx is above 90% of the memory limit, and not at 90%', () => {
    expect(warnings({ javaArgs: '-Xmx3900m', resources: { limits: { memory: '4Gi' } } })).toEqual([
      expect.stringContaining('spec.javaArgs: -Xmx3900m is above 90% of the memory limit 4Gi'),
    ]);
    // 90% of 4000Mi is exactly 3600m: not strictly above.
    expect(warnings({ javaArgs: '-Xmx3600m', resources: { limits: { memory: '4000Mi' } } })).toEqual([]);
    expect(warnings({ resources: { limits: { memory: '4Gi' } } })).toEqual([]);
  });

  it('warns about references missing from the cache, and only then', () => {
    const refs = staticReferences(['Config/prod/production']);
    expect(warnings({}, { references: refs })).toEqual([
      'spec.certificateRef: Certificate "production-cert" does not exist in namespace "prod" yet; the Server waits for it',
    ]);
    const both = staticReferences(['Config/prod/production', 'Certificate/prod/production-cert']);
    expect(warnings({}, { references: both })).toEqual([]);
    expect(
      warnings({}, { references: staticReferences(['Config/other/production', 'Certificate/other/production-cert']) }),
    ).toHaveLength(2);
    expect(run(base, { references: staticReferences([]) }).allowed).toBe(true);
    // An invalid name is denied by rule 1 and not warned about as well.
    expect(run({ ...base, configRef: 'Bad_Name' }, { references: refs }).warnings).toEqual([
      expect.stringContaining('spec.certificateRef'),
    ]);
  });

  it('warns when an enabled PDB keeps every replica available', () => {
    expect(warnings({ replicas: 2, pdb: { enabled: true, minAvailable: 2 } })).toEqual([
      expect.stringContaining('spec.pdb.minAvailable'),
    ]);
    expect(warnings({ replicas: 3, pdb: { enabled: true, minAvailable: 2 } })).toEqual([]);
    expect(warnings({ replicas: 2, pdb: { enabled: false, minAvailable: 2 } })).toEqual([]);
  });

  it('takes a percentage of the replicas, rounded up', () => {
    expect(warnings({ replicas: 3, pdb: { enabled: true, minAvailable: '67%' } })).toHaveLength(1);
    expect(warnings({ replicas: 3, pdb: { enabled: true, minAvailable: '66%' } })).toEqual([]);
    expect(warnings({ replicas: 1, pdb: { enabled: true, minAvailable: '1%' } })).toHaveLength(1);
  });

  it('uses minReplicas as the replica count when autoscaling is enabled', () => {
    expect(
      warnings({
        replicas: 5,
        autoscaling: { enabled: true, minReplicas: 2 },
        pdb: { enabled: true, minAvailable: 2 },
      }),
    ).toHaveLength(1);
    expect(
      warnings({
        replicas: 1,
        autoscaling: { enabled: true, minReplicas: 3 },
        pdb: { enabled: true, minAvailable: 2 },
      }),
    ).toEqual([]);
    expect(
      warnings({
        replicas: 1,
        autoscaling: { enabled: false, minReplicas: 3 },
        pdb: { enabled: true, minAvailable: 2 },
      }),
    ).toHaveLength(1);
  });

  it('keeps warnings on a denial', () => {
    const response = run({ replicas: -1, javaArgs: '-Xmx4g', resources: { limits: { memory: '4Gi' } } });
    expect(response.allowed).toBe(false);
    expect(response.warnings).toHaveLength(1);
  });
});

describe('what is judged', () => {
  const bad = { metadata: { name: 'Bad' }, spec: { replicas: -1 } };
  it.each([
    ['DELETE', { operation: 'DELETE', oldObject: bad, object: null }],
    ['CONNECT', { operation: 'CONNECT' }],
    ['the status subresource', { operation: 'UPDATE', subResource: 'status' }],
    ['another kind', { kind: { group: 'apps', version: 'v1', kind: 'Deployment' } }],
    ['another version', { kind: { group: 'openvox.voxpupuli.org', version: 'v1beta1', kind: 'Server' } }],
    ['another group', { kind: { group: 'example.com', version: 'v1alpha1', kind: 'Server' } }],
  ])('allows %s without judging', (_what, request) => {
    const response = validate(serverReview(bad, request as Partial<AdmissionRequest>), {
      schemaRule: schema,
      references: noReferences,
    });
    expect(response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
  });

  it('never blocks an UPDATE of an object that is being deleted (finalizer removal)', () => {
    const deleting = {
      metadata: { name: 'Bad', deletionTimestamp: '2026-11-25T12:00:00Z', finalizers: [] },
      spec: { replicas: -1 },
    };
    const response = validate(serverReview(deleting, { operation: 'UPDATE', oldObject: deleting }), {
      schemaRule: schema,
      references: noReferences,
    });
    expect(response.allowed).toBe(true);
  });

  it('judges UPDATE like CREATE', () => {
    expect(
      validate(serverReview(bad, { operation: 'UPDATE', oldObject: bad }), {
        schemaRule: schema,
        references: noReferences,
      }).allowed,
    ).toBe(false);
  });

  it('handles dryRun exactly like a normal request', () => {
    for (const object of [bad, seedServer()]) {
      const normal = validate(serverReview(object), { schemaRule: schema, references: noReferences });
      expect(
        validate(serverReview(object, { dryRun: true }), { schemaRule: schema, references: noReferences }),
      ).toEqual(normal);
    }
  });
});
