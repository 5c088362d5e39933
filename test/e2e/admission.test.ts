// What a user sees at `kubectl apply`: defaults filled in, every mistake at once, warnings, explain.
import { parse } from 'yaml';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';

let ns: string;
beforeAll(() => {
  ns = createNamespace('e2e-admission');
});
afterAll(() => deleteNamespace(ns));

function server(name: string, spec: Record<string, unknown>) {
  return {
    apiVersion: 'openvox.voxpupuli.org/v1alpha1',
    kind: 'Server',
    metadata: { name, namespace: ns },
    spec: { configRef: 'production', certificateRef: 'production-cert', ...spec },
  };
}

function getSpec(name: string): Record<string, unknown> {
  return parse(kubectlOk(['get', 'server', name, '-n', ns, '-o', 'yaml'])).spec;
}

describe('kubectl explain', () => {
  it('prints our descriptions for server.spec.pdb', () => {
    const out = kubectlOk(['explain', 'server.spec.pdb']);
    expect(out).toContain('PodDisruptionBudget settings.');
    expect(out).toMatch(/minAvailable[\s\S]*Mutually exclusive with\s+maxUnavailable/);
  });

  it('prints the default of server.spec.autoscaling.maxReplicas in its description', () => {
    const out = kubectlOk(['explain', 'server.spec.autoscaling.maxReplicas']);
    expect(out).toContain('Maximum replicas the autoscaler may create');
    expect(out).toMatch(/Defaults\s+to 5\./);
  });
});

describe('kubectl apply', () => {
  it('applies examples/ and stores the seed Server with defaults', () => {
    const result = kubectl(['apply', '-n', ns, '-f', 'examples/']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('server.openvox.voxpupuli.org/production-ca created');
    const spec = getSpec('production-ca');
    expect(spec).toMatchObject({
      ca: true,
      server: true,
      replicas: 1,
      javaArgs: '-Xms1g -Xmx2g',
      maxActiveInstances: 4,
    });
  });

  it('fills in every default of a minimal Server, javaArgs derived from the memory limit', () => {
    kubectlOk(
      ['apply', '-f', '-'],
      server('minimal', { resources: { limits: { memory: '4Gi' } }, autoscaling: {}, pdb: { enabled: true } }),
    );
    expect(getSpec('minimal')).toMatchObject({
      server: true,
      ca: false,
      replicas: 1,
      maxActiveInstances: 1,
      javaArgs: '-Xms3072m -Xmx3072m',
      autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 5, targetCPU: 75 },
      pdb: { enabled: true, maxUnavailable: 1 },
    });
  });

  it('uses the fixed javaArgs default without a memory limit', () => {
    kubectlOk(['apply', '-f', '-'], server('no-limit', {}));
    expect(getSpec('no-limit')).toMatchObject({ javaArgs: '-Xms512m -Xmx1024m' });
  });

  it('rejects pdb.minAvailable with pdb.maxUnavailable at once, naming the field', () => {
    const result = kubectl(
      ['apply', '-f', '-'],
      server('both-budgets', { pdb: { enabled: true, minAvailable: 1, maxUnavailable: 1 } }),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('The Server "both-budgets" is invalid');
    expect(result.stderr).toContain('spec.pdb');
    expect(result.stderr).toContain('mutually exclusive');
    expect(kubectl(['get', 'server', 'both-budgets', '-n', ns]).code).not.toBe(0);
  });

  it('lists all three violations of one Server', () => {
    const result = kubectl(
      ['apply', '-f', '-'],
      server('three-errors', {
        ca: true,
        replicas: 3,
        autoscaling: { minReplicas: 4, maxReplicas: 2 },
        poolRefs: ['Not_A_Label'],
      }),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('spec.replicas');
    expect(result.stderr).toContain('spec.autoscaling.maxReplicas');
    expect(result.stderr).toContain('spec.poolRefs[0]');
  });

  it('warns, without denying, when the referenced Config does not exist yet', () => {
    const result = kubectl(['apply', '-f', '-'], server('early', { configRef: 'not-there-yet' }));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Warning: .*not-there-yet/);
  });

  it('shows the defaults with --dry-run=server and stores nothing', () => {
    const out = kubectlOk(['apply', '--dry-run=server', '-o', 'yaml', '-f', '-'], server('dry', { autoscaling: {} }));
    expect(parse(out).spec).toMatchObject({ javaArgs: '-Xms512m -Xmx1024m', autoscaling: { maxReplicas: 5 } });
    const get = kubectl(['get', 'server', 'dry', '-n', ns]);
    expect(get.code).not.toBe(0);
    expect(get.stderr).toContain('NotFound');
  });

  it('validates the kinds a Server references too, every violation at once', () => {
    const result = kubectl(['apply', '-f', '-'], {
      apiVersion: 'openvox.voxpupuli.org/v1alpha1',
      kind: 'Pool',
      metadata: { name: 'bad-pool', namespace: ns },
      spec: { service: { type: 'ClusterIP', port: 70000, nodePort: 31000 } },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('The Pool "bad-pool" is invalid');
    expect(result.stderr).toContain('spec.service.port');
    expect(result.stderr).toMatch(
      /spec\.service\.nodePort: Forbidden: may only be set when spec\.service\.type is NodePort/,
    );
  });

  it('shows the printer columns in kubectl get servers', () => {
    const header = kubectlOk(['get', 'servers', '-n', ns]).split('\n')[0]!;
    expect(header.split(/\s+/)).toEqual(['NAME', 'CONFIG', 'CA', 'REPLICAS', 'READY', 'PHASE', 'AGE']);
    expect(kubectlOk(['get', 'servers', '-n', ns])).toMatch(/production-ca\s+production\s+true\s+1/);
  });
});
