import jsonpatch, { type Operation } from 'fast-json-patch';
import { mutate } from './mutate.js';
import { fullServer, seedServer, serverReview } from '../testing/fixtures.js';
import type { AdmissionRequest, AdmissionResponse } from '../admission/review.js';

function opsOf(response: AdmissionResponse): Operation[] {
  if (response.patch === undefined) return [];
  expect(response.patchType).toBe('JSONPatch');
  return JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
}

function applied(object: unknown, response: AdmissionResponse): unknown {
  return jsonpatch.applyPatch(structuredClone(object), opsOf(response), true, false).newDocument;
}

describe('mutate', () => {
  it('adds the defaults as JSONPatch operations and nothing else', () => {
    const object = {
      metadata: { name: 'web' },
      spec: { configRef: 'c', certificateRef: 'k', pdb: { enabled: true }, resources: { limits: { memory: '4Gi' } } },
    };
    const response = mutate(serverReview(object));
    expect(response.uid).toBe('705ab4f5-6393-11e8-b7cc-42010a800002');
    expect(response.allowed).toBe(true);
    expect(opsOf(response).every((op) => op.op === 'add')).toBe(true);
    expect(applied(object, response)).toEqual({
      metadata: { name: 'web' },
      spec: {
        configRef: 'c',
        certificateRef: 'k',
        server: true,
        ca: false,
        replicas: 1,
        maxActiveInstances: 1,
        javaArgs: '-Xms3072m -Xmx3072m',
        pdb: { enabled: true, maxUnavailable: 1 },
        resources: { limits: { memory: '4Gi' } },
      },
    });
  });

  it('replaces an empty javaArgs with the derived value', () => {
    const object = { metadata: { name: 'web' }, spec: { javaArgs: '', resources: { limits: { memory: '1536Mi' } } } };
    expect((applied(object, mutate(serverReview(object))) as { spec: { javaArgs: string } }).spec.javaArgs).toBe(
      '-Xms1152m -Xmx1152m',
    );
  });

  it('is idempotent: mutating the mutated object gives no patch', () => {
    for (const object of [
      seedServer(),
      fullServer(),
      { metadata: { name: 'x' }, spec: { autoscaling: {}, image: {}, code: { image: 'i' } } },
    ]) {
      const once = applied(object, mutate(serverReview(object)));
      const again = mutate(serverReview(once));
      expect(again).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
    }
  });

  it('leaves a mistyped field alone and still defaults the others', () => {
    const object = { metadata: { name: 'x' }, spec: { replicas: 'three' } };
    const out = applied(object, mutate(serverReview(object))) as { spec: Record<string, unknown> };
    expect(out.spec.replicas).toBe('three');
    expect(out.spec.server).toBe(true);
  });

  it.each([
    ['DELETE', { operation: 'DELETE', object: null, oldObject: { spec: {} } }],
    ['the status subresource', { operation: 'UPDATE', subResource: 'status' }],
    ['another kind', { kind: { group: '', version: 'v1', kind: 'ConfigMap' } }],
    ['another version', { kind: { group: 'openvox.voxpupuli.org', version: 'v1', kind: 'Server' } }],
    ['an object that is not an object', { object: 'text' }],
    ['a Server without spec', { object: { metadata: { name: 'x' } } }],
  ])('allows %s with no patch', (_what, request) => {
    const response = mutate(serverReview({ metadata: { name: 'x' }, spec: {} }, request as Partial<AdmissionRequest>));
    expect(response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
  });

  it('patches UPDATE like CREATE, and dryRun exactly like a normal request', () => {
    const object = { metadata: { name: 'x' }, spec: {} };
    const normal = mutate(serverReview(object));
    expect(opsOf(normal).length).toBeGreaterThan(0);
    expect(mutate(serverReview(object, { operation: 'UPDATE', oldObject: object }))).toEqual(normal);
    expect(mutate(serverReview(object, { dryRun: true }))).toEqual(normal);
  });
});
