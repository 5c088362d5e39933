import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import { authority, certificate, config, HASHES, server } from './fixtures.test-helpers.js';
import { render, renderDeployment, RenderError, type RenderInput } from './render/index.js';
import { contentHash } from '../kube/hash.js';
import { configFileMounts } from '../contracts/pod-layout.js';

function input(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    server: server(),
    config: config(),
    certificate: certificate(),
    ca: authority(),
    hashes: HASHES,
    ...overrides,
  };
}

const pod = (d: V1Deployment) => d.spec!.template.spec!;
const main = (d: V1Deployment): V1Container => pod(d).containers.find((c) => c.name === 'openvox-server')!;
const volume = (d: V1Deployment, name: string) => pod(d).volumes!.find((v) => v.name === name);
const mount = (d: V1Deployment, name: string) => main(d).volumeMounts!.find((m) => m.name === name);

// From the pod layout, so a path lives in one place; the snapshot test pins the rendered bytes.
const CONFIG_FILES = configFileMounts(false)
  .filter((f) => f.key === f.file && f.volume !== 'webserver-conf')
  .map((f): [string, string, string] => [f.volume, f.key, f.mountPath]);

describe('renderDeployment (non-CA)', () => {
  const d = renderDeployment(input());

  it('names, owns and labels the Deployment; selects on the server label only', () => {
    expect(d.metadata).toMatchObject({ name: 'compiler', namespace: 'prod' });
    expect(d.metadata!.ownerReferences).toEqual([
      {
        apiVersion: 'openvox.voxpupuli.org/v1alpha1',
        kind: 'Server',
        name: 'compiler',
        uid: 'uid-compiler',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const labels = {
      'app.kubernetes.io/name': 'openvox-server',
      'app.kubernetes.io/instance': 'compiler',
      'app.kubernetes.io/managed-by': 'openvox-operator',
      'openvox.voxpupuli.org/server': 'compiler',
    };
    expect(d.metadata!.labels).toEqual(labels);
    expect(d.spec!.template.metadata!.labels).toEqual(labels);
    expect(d.spec!.selector).toEqual({ matchLabels: { 'openvox.voxpupuli.org/server': 'compiler' } });
  });

  it('adds one pool label per poolRef, deduplicated', () => {
    const p = renderDeployment(input({ server: server('compiler', { poolRefs: ['b', 'a', 'b'] }) }));
    expect(p.spec!.template.metadata!.labels).toMatchObject({
      'openvox.voxpupuli.org/pool-a': 'true',
      'openvox.voxpupuli.org/pool-b': 'true',
    });
    expect(Object.keys(p.metadata!.labels!).filter((k) => k.includes('/pool-'))).toHaveLength(2);
  });

  it('uses RollingUpdate and spec.replicas', () => {
    expect(d.spec!.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(d.spec!.replicas).toBe(2);
  });

  it('runs tls-init before openvox-server with the image of the Config', () => {
    expect(pod(d).initContainers!.map((c) => c.name)).toEqual(['tls-init', 'crl-sync']);
    // crl-sync is a native sidecar: it keeps the CRL file puppetserver reads current.
    expect(pod(d).initContainers![1]!.restartPolicy).toBe('Always');
    expect(pod(d).containers.map((c) => c.name)).toEqual(['openvox-server']);
    const init = pod(d).initContainers![0]!;
    expect(init.image).toBe('ghcr.io/openvoxproject/openvox-server:8.8.0');
    expect(init.volumeMounts).toEqual([
      { name: 'ssl', mountPath: '/ssl' },
      { name: 'ssl-cert', mountPath: '/ssl-cert', readOnly: true },
      { name: 'ssl-ca', mountPath: '/ssl-ca', readOnly: true },
    ]);
    expect(init.command!.join(' ')).toContain('cp /ssl-cert/cert.pem /ssl/certs/puppet.pem');
    expect(main(d).image).toBe('ghcr.io/openvoxproject/openvox-server:8.8.0');
  });

  it('sets JAVA_ARGS with max active instances, port 8140 and HTTPS probes on /status/v1/simple', () => {
    expect(main(d).env).toEqual([{ name: 'JAVA_ARGS', value: '-Xms1g -Xmx2g -Djruby-puppet.max-active-instances=4' }]);
    expect(main(d).ports).toEqual([{ name: 'https', containerPort: 8140, protocol: 'TCP' }]);
    for (const p of [main(d).startupProbe, main(d).readinessProbe]) {
      expect(p!.httpGet).toEqual({ path: '/status/v1/simple', port: 8140, scheme: 'HTTPS' });
    }
    // 6 minutes for the JVM start; readiness reacts within 30 s.
    expect(main(d).startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 72 });
    expect(main(d).readinessProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 3 });
  });

  it('checks liveness differently from readiness: the port accepts, with minutes of grace', () => {
    const liveness = main(d).livenessProbe!;
    expect(liveness.httpGet).toBeUndefined();
    expect(liveness.tcpSocket).toEqual({ port: 8140 });
    expect(liveness.periodSeconds! * liveness.failureThreshold!).toBeGreaterThanOrEqual(180);
  });

  it('falls back to default JVM args and one JRuby instance', () => {
    const s = server('x');
    delete (s.spec as { javaArgs?: string }).javaArgs;
    s.spec.maxActiveInstances = 0;
    expect(main(renderDeployment(input({ server: s }))).env![0]!.value).toBe(
      '-Xms512m -Xmx1024m -Djruby-puppet.max-active-instances=1',
    );
  });

  it('mounts ssl, cert, CA and the CRL as a directory (no subPath)', () => {
    expect(volume(d, 'ssl')).toEqual({ name: 'ssl', emptyDir: {} });
    expect(volume(d, 'ssl-cert')).toEqual({
      name: 'ssl-cert',
      secret: { secretName: 'production-cert-tls', defaultMode: 0o640 },
    });
    expect(volume(d, 'ssl-ca')).toEqual({
      name: 'ssl-ca',
      secret: { secretName: 'production-ca-ca', defaultMode: 0o640 },
    });
    expect(volume(d, 'ssl-ca-crl')).toEqual({
      name: 'ssl-ca-crl',
      secret: { secretName: 'production-ca-ca-crl', defaultMode: 0o640 },
    });
    expect(mount(d, 'ssl-ca-crl')).toEqual({
      name: 'ssl-ca-crl',
      mountPath: '/etc/puppetlabs/puppet/crl',
      readOnly: true,
    });
    expect(mount(d, 'ssl')).toEqual({ name: 'ssl', mountPath: '/etc/puppetlabs/puppet/ssl' });
    expect(volume(d, 'ca-data')).toBeUndefined();
    expect(volume(d, 'autosign-policy')).toBeUndefined();
  });

  it('mounts the eight role-independent ConfigMap items', () => expect(CONFIG_FILES).toHaveLength(8));

  it.each(CONFIG_FILES)('mounts ConfigMap item %s (%s) at %s', (name, key, mountPath) => {
    expect(volume(d, name)).toEqual({ name, configMap: { name: 'production-config', items: [{ key, path: key }] } });
    expect(mount(d, name)).toEqual({ name, mountPath, subPath: key, readOnly: true });
  });

  it('uses the non-CA webserver.conf and ca-disabled.cfg', () => {
    expect(volume(d, 'webserver-conf')!.configMap!.items).toEqual([{ key: 'webserver.conf', path: 'webserver.conf' }]);
    expect(volume(d, 'ca-cfg')!.configMap!.items).toEqual([{ key: 'ca-disabled.cfg', path: 'ca.cfg' }]);
    expect(mount(d, 'ca-cfg')!.mountPath).toBe('/etc/puppetlabs/puppetserver/services.d/ca.cfg');
  });

  it('has writable emptyDirs for every directory Puppet writes', () => {
    for (const [name, path] of [
      ['puppetserver-data', '/run/puppetserver'],
      ['puppet-cache', '/opt/puppetlabs/puppet/cache'],
      ['puppet-run', '/var/run/puppetlabs'],
      ['tmp', '/tmp'],
      ['var-log', '/var/log/puppetlabs'],
    ]) {
      expect(volume(d, name!)).toEqual({ name, emptyDir: {} });
      expect(mount(d, name!)).toEqual({ name, mountPath: path });
    }
  });

  it('every mount has a volume and every volume is used', () => {
    const volumes = new Set(pod(d).volumes!.map((v) => v.name));
    const used = new Set([...main(d).volumeMounts!, ...pod(d).initContainers![0]!.volumeMounts!].map((m) => m.name));
    expect([...used].filter((n) => !volumes.has(n))).toEqual([]);
    expect([...volumes].filter((n) => !used.has(n))).toEqual([]);
    expect(volumes.size).toBe(pod(d).volumes!.length);
  });

  it('hardens pod and containers', () => {
    expect(pod(d).securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1001,
      runAsGroup: 0,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const c of [...pod(d).containers, ...pod(d).initContainers!]) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
    }
    // The Config switch is for images that write outside the emptyDirs; the helpers stay read-only.
    const rw = renderDeployment(input({ config: config({ readOnlyRootFilesystem: false }) }));
    expect(main(rw).securityContext!.readOnlyRootFilesystem).toBe(false);
    for (const c of pod(rw).initContainers!) expect(c.securityContext!.readOnlyRootFilesystem).toBe(true);
    expect(pod(d).automountServiceAccountToken).toBe(false);
  });

  it('puts the content hashes into pod annotations', () => {
    expect(d.spec!.template.metadata!.annotations).toEqual({
      'openvox.voxpupuli.org/config-hash': 'h-config',
      'openvox.voxpupuli.org/ssl-secret-hash': 'h-cert',
      'openvox.voxpupuli.org/ca-secret-hash': 'h-ca',
    });
  });

  it('passes resources, affinity, topology spread and priority class through', () => {
    const spec = {
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
      priorityClassName: 'high',
    };
    const r = renderDeployment(input({ server: server('compiler', spec) }));
    expect(main(r).resources).toEqual({
      requests: { cpu: '500m', 'ephemeral-storage': '1Gi', memory: '1Gi' },
      limits: { 'ephemeral-storage': '4Gi', memory: '2Gi' },
    });
    expect(pod(r).affinity).toEqual(spec.affinity);
    expect(pod(r).topologySpreadConstraints).toEqual(spec.topologySpreadConstraints);
    expect(pod(r).priorityClassName).toBe('high');
    expect(pod(d).affinity).toBeUndefined();
  });

  it('gives every container ephemeral-storage requests and limits, overridable per resource', () => {
    for (const c of [...pod(d).containers, ...pod(d).initContainers!]) {
      expect(c.resources!.requests!['ephemeral-storage']).toBeDefined();
      expect(c.resources!.limits!['ephemeral-storage']).toBeDefined();
    }
    expect(main(d).resources).toEqual({
      requests: { 'ephemeral-storage': '1Gi' },
      limits: { 'ephemeral-storage': '4Gi' },
    });
    const r = renderDeployment(
      input({
        server: server('compiler', {
          resources: { limits: { 'ephemeral-storage': '512Mi' } },
          helperResources: { requests: { 'ephemeral-storage': '1Mi' }, limits: { memory: '64Mi' } },
        }),
      }),
    );
    // A resource the user names keeps no default: a default request can never exceed the user's limit.
    expect(main(r).resources).toEqual({ limits: { 'ephemeral-storage': '512Mi' } });
    for (const c of pod(r).initContainers!)
      expect(c.resources).toEqual({
        requests: { cpu: '5m', 'ephemeral-storage': '1Mi' },
        limits: { memory: '64Mi' },
      });
  });

  it('spreads the replicas over nodes and zones unless the Server has its own constraints', () => {
    expect(pod(d).topologySpreadConstraints).toEqual(
      ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
        topologyKey,
        maxSkew: 1,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'openvox.voxpupuli.org/server': 'compiler' } },
        matchLabelKeys: ['pod-template-hash'],
      })),
    );
  });

  it('mounts code from a PVC read-only at the environment path', () => {
    const r = renderDeployment(
      input({ config: config({ code: { claimName: 'code' }, puppet: { environmentPath: '/envs' } }) }),
    );
    expect(volume(r, 'code')).toEqual({ name: 'code', persistentVolumeClaim: { claimName: 'code', readOnly: true } });
    expect(mount(r, 'code')).toEqual({ name: 'code', mountPath: '/envs', readOnly: true });
    expect(volume(d, 'code')).toBeUndefined();
  });

  it('mounts code from an image; the Server overrides the Config', () => {
    const r = renderDeployment(
      input({
        server: server('compiler', { code: { image: 'registry/code:1', imagePullSecret: 'pull' } }),
        config: config({ code: { claimName: 'ignored' } }),
      }),
    );
    expect(volume(r, 'code')).toEqual({
      name: 'code',
      image: { reference: 'registry/code:1', pullPolicy: 'IfNotPresent' },
    });
    expect(mount(r, 'code')).toEqual({ name: 'code', mountPath: '/etc/puppetlabs/code/environments', readOnly: true });
    expect(pod(r).imagePullSecrets).toEqual([{ name: 'pull' }]);
    expect(r.spec!.template.metadata!.annotations!['openvox.voxpupuli.org/code-image']).toBe('registry/code:1');
  });

  it('does not mount code on a CA-only Server', () => {
    const r = renderDeployment(
      input({ server: server('ca', { ca: true, server: false, code: { claimName: 'code' } }) }),
    );
    expect(volume(r, 'code')).toBeUndefined();
  });

  it('lets the Server override image tag and repository', () => {
    const r = renderDeployment(
      input({ server: server('compiler', { image: { tag: '9.0.0', pullPolicy: 'Always' } }) }),
    );
    expect(main(r).image).toBe('ghcr.io/openvoxproject/openvox-server:9.0.0');
    expect(main(r).imagePullPolicy).toBe('Always');
  });

  it('fails with a reason when no image is known', () => {
    expect(() => renderDeployment(input({ config: config({ image: {} }) }))).toThrow(RenderError);
  });
});

describe('renderDeployment (CA)', () => {
  const d = renderDeployment(input({ server: server('production-ca', { ca: true, replicas: 1 }) }));

  it('uses Recreate', () => {
    expect(d.spec!.strategy).toEqual({ type: 'Recreate' });
  });

  it('mounts the CA data claim read-write and the autosign policy; key and CRL only for ca-init', () => {
    expect(volume(d, 'ca-data')).toEqual({
      name: 'ca-data',
      persistentVolumeClaim: { claimName: 'production-ca-data' },
    });
    expect(mount(d, 'ca-data')).toEqual({ name: 'ca-data', mountPath: '/etc/puppetlabs/puppetserver/ca' });
    // The policy (it holds pre-shared keys) readable and the script runnable by the pod's gid 0 only.
    expect(volume(d, 'autosign-policy')).toEqual({
      name: 'autosign-policy',
      secret: {
        secretName: 'production-ca-autosign-policy',
        items: [
          { key: 'autosign-policy.json', path: 'autosign-policy.json', mode: 0o440 },
          { key: 'openvox-autosign', path: 'openvox-autosign', mode: 0o550 },
        ],
      },
    });
    // A directory mount, which the kubelet refreshes: no subPath, and no hash that would restart the CA.
    expect(mount(d, 'autosign-policy')).toEqual({
      name: 'autosign-policy',
      mountPath: '/etc/puppetlabs/puppet/autosign',
      readOnly: true,
    });
    expect(pod(d).initContainers!.map((c) => c.name)).toEqual(['ca-init', 'tls-init']);
    expect(volume(d, 'ca-key')).toEqual({
      name: 'ca-key',
      secret: { secretName: 'production-ca-ca-key', defaultMode: 0o440 },
    });
    expect(main(d).volumeMounts!.map((m) => m.name)).not.toContain('ca-key');
    expect(main(d).volumeMounts!.map((m) => m.name)).not.toContain('ssl-ca-crl');
    expect(d.spec!.template.metadata!.annotations!['openvox.voxpupuli.org/autosign-policy-hash']).toBeUndefined();
  });

  it('uses webserver-ca.conf and ca-enabled.cfg', () => {
    expect(volume(d, 'webserver-conf')!.configMap!.items).toEqual([
      { key: 'webserver-ca.conf', path: 'webserver.conf' },
    ]);
    expect(volume(d, 'ca-cfg')!.configMap!.items).toEqual([{ key: 'ca-enabled.cfg', path: 'ca.cfg' }]);
  });

  it('uses the CA status secret name when the CA reports one', () => {
    const ca = authority();
    ca.status = { caSecretName: 'external-ca' };
    const r = renderDeployment(input({ ca }));
    expect(volume(r, 'ssl-ca')!.secret!.secretName).toBe('external-ca');
  });
});

describe('HPA and PDB', () => {
  it('renders neither when disabled or absent', () => {
    const r = render(input());
    expect(r.hpa).toBeUndefined();
    expect(r.pdb).toBeUndefined();
    const off = render(
      input({
        server: server('compiler', { autoscaling: { enabled: false }, pdb: { enabled: false, minAvailable: 1 } }),
      }),
    );
    expect(off.hpa).toBeUndefined();
    expect(off.pdb).toBeUndefined();
  });

  it('renders an autoscaling/v2 HPA and leaves replicas to it', () => {
    const r = render(
      input({
        server: server('compiler', { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 7, targetCPU: 60 } }),
      }),
    );
    expect(r.deployment.spec!.replicas).toBeUndefined();
    expect(r.hpa).toMatchObject({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'compiler',
        namespace: 'prod',
        ownerReferences: [{ kind: 'Server', uid: 'uid-compiler', controller: true }],
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'compiler' },
        minReplicas: 2,
        maxReplicas: 7,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        ],
      },
    });
  });

  it('applies HPA defaults', () => {
    const r = render(input({ server: server('compiler', { autoscaling: { enabled: true } }) }));
    expect(r.hpa!.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5 });
    expect(r.hpa!.spec!.metrics![0]!.resource!.target.averageUtilization).toBe(75);
  });

  it.each([
    [{ enabled: true, minAvailable: 2 }, { minAvailable: 2 }],
    [{ enabled: true, minAvailable: '50%' }, { minAvailable: '50%' }],
    [{ enabled: true, maxUnavailable: '25%' }, { maxUnavailable: '25%' }],
    [{ enabled: true }, { maxUnavailable: 1 }],
  ])('renders a policy/v1 PDB for %j', (pdb, budget) => {
    const r = render(input({ server: server('compiler', { pdb }) }));
    expect(r.pdb).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: expect.objectContaining({ name: 'compiler', namespace: 'prod' }),
      spec: { selector: { matchLabels: { 'openvox.voxpupuli.org/server': 'compiler' } }, ...budget },
    });
  });
});

describe('determinism and hashes', () => {
  it('renders identical output for identical input', () => {
    expect(JSON.stringify(render(input()))).toBe(JSON.stringify(render(input())));
  });

  it('content hashes are order independent and change with the data', () => {
    const a = contentHash({ data: { 'a.conf': 'x', 'b.conf': 'y' } });
    expect(contentHash({ data: { 'b.conf': 'y', 'a.conf': 'x' } })).toBe(a);
    expect(contentHash({ data: { 'a.conf': 'x', 'b.conf': 'z' } })).not.toBe(a);
    // Separators: moving bytes between key and value changes the hash.
    expect(contentHash({ data: { ab: 'c' } })).not.toBe(contentHash({ data: { a: 'bc' } }));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a changed ConfigMap hash changes only the pod template annotation', () => {
    const before = renderDeployment(input());
    const after = renderDeployment(input({ hashes: { ...HASHES, config: 'other' } }));
    expect(after.spec!.template.metadata!.annotations!['openvox.voxpupuli.org/config-hash']).toBe('other');
    after.spec!.template.metadata!.annotations!['openvox.voxpupuli.org/config-hash'] = 'h-config';
    expect(after).toEqual(before);
  });
});
