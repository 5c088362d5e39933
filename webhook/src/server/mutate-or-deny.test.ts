import { mutate } from './mutate.js';
import { mutateOrDeny } from './mutate-or-deny.js';
import { validateDeps } from './validate.js';
import { staticReferences } from '../references/lookup.js';
import { fullServer, seedServer, serverReview } from '../testing/fixtures.js';

const deps = validateDeps(staticReferences([]));

describe('mutateOrDeny', () => {
  it('patches valid Servers exactly as mutate does, without the warnings the validating endpoint gives', () => {
    for (const object of [
      seedServer(),
      fullServer(),
      { ...fullServer(), spec: { configRef: 'a', certificateRef: 'b' } },
    ]) {
      const review = serverReview(object);
      const response = mutateOrDeny(review, deps);
      expect(response).toEqual(mutate(review));
      expect(response.warnings).toBeUndefined();
    }
  });

  it('denies, with every cause at once, a Server that breaks CEL rules and webhook-only rules', () => {
    const object = {
      ...seedServer(),
      spec: {
        ...seedServer().spec,
        replicas: 3,
        autoscaling: { minReplicas: 4, maxReplicas: 2 },
        pdb: { minAvailable: 1, maxUnavailable: '150%' },
        javaArgs: '-Xms4g -Xmx2g',
        poolRefs: ['Not_A_Label'],
      },
    };
    const response = mutateOrDeny(serverReview(object), deps);
    expect(response.allowed).toBe(false);
    expect(response.patch).toBeUndefined();
    expect(response.status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(response.status!.details.causes.map((c) => c.field).sort()).toEqual([
      'spec.autoscaling.maxReplicas',
      'spec.javaArgs',
      'spec.pdb',
      'spec.pdb.maxUnavailable',
      'spec.poolRefs[0]',
      'spec.replicas',
    ]);
    // The references are missing: a denial carries the warnings, since the validating webhook never runs.
    expect(response.warnings?.join('\n')).toContain('production');
  });

  it('denies a type mismatch with its cause instead of leaving it to the schema stage', () => {
    const response = mutateOrDeny(
      serverReview({ ...fullServer(), spec: { ...fullServer().spec, replicas: 'three' } }),
      deps,
    );
    expect(response.allowed).toBe(false);
    expect(response.status!.details.causes.map((c) => c.field)).toEqual(['spec.replicas']);
  });
});
