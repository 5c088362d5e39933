import { applyServerDefaults, derivedJavaArgs, FALLBACK_JAVA_ARGS } from './defaults.js';

type Spec = Record<string, unknown>;
const server = (spec: Spec) => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'Server',
  metadata: { name: 's' },
  spec,
});
const specOf = (spec: Spec) => applyServerDefaults(server(spec)).spec as Spec;

describe('applyServerDefaults', () => {
  it('fills server, ca, replicas, maxActiveInstances and javaArgs on an empty spec', () => {
    expect(specOf({})).toEqual({
      server: true,
      ca: false,
      replicas: 1,
      maxActiveInstances: 1,
      javaArgs: FALLBACK_JAVA_ARGS,
    });
    expect(FALLBACK_JAVA_ARGS).toBe('-Xms512m -Xmx1024m');
  });

  it('never changes a value the user set', () => {
    const spec = { server: false, ca: true, replicas: 0, maxActiveInstances: 7, javaArgs: '-Xmx3g' };
    expect(specOf(spec)).toEqual(spec);
  });

  it.each([
    ['4Gi', '-Xms3072m -Xmx3072m'],
    ['1536Mi', '-Xms1152m -Xmx1152m'],
    ['2G', '-Xms1430m -Xmx1430m'],
    [4294967296, '-Xms3072m -Xmx3072m'],
  ])('derives javaArgs from a memory limit of %p', (memory, javaArgs) => {
    expect(specOf({ resources: { limits: { memory } } }).javaArgs).toBe(javaArgs);
  });

  it('derives javaArgs when javaArgs is the empty string', () => {
    expect(specOf({ javaArgs: '', resources: { limits: { memory: '4Gi' } } }).javaArgs).toBe('-Xms3072m -Xmx3072m');
    expect(specOf({ javaArgs: '' }).javaArgs).toBe(FALLBACK_JAVA_ARGS);
  });

  it('uses the fallback when only a memory request (no limit) is set', () => {
    expect(specOf({ resources: { requests: { memory: '4Gi' } } }).javaArgs).toBe(FALLBACK_JAVA_ARGS);
  });

  it('leaves javaArgs absent when the memory limit does not parse (validation reports the limit)', () => {
    expect(specOf({ resources: { limits: { memory: 'lots' } } })).not.toHaveProperty('javaArgs');
    expect(derivedJavaArgs('lots')).toBeUndefined();
  });

  it('fills every autoscaling field when the object is present', () => {
    expect(specOf({ autoscaling: {} }).autoscaling).toEqual({
      enabled: false,
      minReplicas: 1,
      maxReplicas: 5,
      targetCPU: 75,
    });
    expect(specOf({ autoscaling: { enabled: true, maxReplicas: 9 } }).autoscaling).toEqual({
      enabled: true,
      minReplicas: 1,
      maxReplicas: 9,
      targetCPU: 75,
    });
    expect(specOf({})).not.toHaveProperty('autoscaling');
  });

  it('defaults pdb.enabled to false and adds maxUnavailable 1 only when enabled with neither budget set', () => {
    expect(specOf({ pdb: {} }).pdb).toEqual({ enabled: false });
    expect(specOf({ pdb: { enabled: true } }).pdb).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(specOf({ pdb: { enabled: true, minAvailable: '50%' } }).pdb).toEqual({ enabled: true, minAvailable: '50%' });
    expect(specOf({ pdb: { enabled: true, maxUnavailable: 2 } }).pdb).toEqual({ enabled: true, maxUnavailable: 2 });
    expect(specOf({})).not.toHaveProperty('pdb');
  });

  it('defaults image.pullPolicy only, never repository or tag', () => {
    expect(specOf({ image: {} }).image).toEqual({ pullPolicy: 'IfNotPresent' });
    expect(specOf({ image: { pullPolicy: 'Always', tag: '8' } }).image).toEqual({ pullPolicy: 'Always', tag: '8' });
    expect(specOf({})).not.toHaveProperty('image');
  });

  it('defaults code.imagePullPolicy only when code.image is set', () => {
    expect(specOf({ code: { image: 'ghcr.io/x/code:1' } }).code).toEqual({
      image: 'ghcr.io/x/code:1',
      imagePullPolicy: 'IfNotPresent',
    });
    expect(specOf({ code: { claimName: 'code' } }).code).toEqual({ claimName: 'code' });
    expect(specOf({ code: { image: 'i', imagePullPolicy: 'Never' } }).code).toEqual({
      image: 'i',
      imagePullPolicy: 'Never',
    });
  });

  it('leaves mistyped fields as they are for the schema to reject', () => {
    const spec = { replicas: 'three', autoscaling: 'yes', pdb: 5, image: [], javaArgs: 42, server: 'no' };
    const out = specOf(spec);
    expect(out).toMatchObject(spec);
    expect(out.ca).toBe(false);
  });

  it('does not modify its input and returns non-Server shapes unchanged', () => {
    const input = server({ pdb: { enabled: true }, autoscaling: {}, image: {}, code: { image: 'i' } });
    const before = structuredClone(input);
    applyServerDefaults(input);
    expect(input).toEqual(before);
    expect(applyServerDefaults('text')).toBe('text');
    expect(applyServerDefaults({ metadata: {} })).toEqual({ metadata: {} });
  });

  it('is idempotent', () => {
    const once = applyServerDefaults(
      server({
        autoscaling: {},
        pdb: { enabled: true },
        image: {},
        code: { image: 'i' },
        resources: { limits: { memory: '2G' } },
      }),
    );
    expect(applyServerDefaults(once)).toEqual(once);
  });
});
