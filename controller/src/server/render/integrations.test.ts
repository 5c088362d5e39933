// What a Config's NodeClassifier and ReportProcessors add to a Server's pods: directory mounts of
// `{config}-enc` (at the dir puppet.conf's external_nodes names) and `{config}-report-processors` (at
// puppetserver's libdir/puppet/reports), an emptyDir for the ENC cache; nothing on a CA-only Server.
import type { V1Deployment } from '@kubernetes/client-node';
import { OPENVOX_IMAGE_LAYOUT, encFiles } from '../../contracts/pod-layout.js';
import { HASHES, authority, certificate, config, server } from '../fixtures.test-helpers.js';
import { renderDeployment } from './deployment.js';
import type { Integrations } from './types.js';

function pod(integrations: Integrations | undefined, spec = {}) {
  const d: V1Deployment = renderDeployment({
    server: server('compiler', spec),
    config: config({ nodeClassifierRef: 'enc' }),
    certificate: certificate(),
    ca: authority(),
    hashes: HASHES,
    ...(integrations ? { integrations } : {}),
  });
  const podSpec = d.spec!.template.spec!;
  const main = podSpec.containers.find((c) => c.name === 'openvox-server')!;
  return { volumes: podSpec.volumes!, mounts: main.volumeMounts! };
}

describe('Server pods with a NodeClassifier and ReportProcessors', () => {
  it('mount both Secrets as directories, the script executable, the settings readable by gid 0 only', () => {
    const { volumes, mounts } = pod({ enc: { cacheDirectory: '/var/cache/openvox-enc' }, reportProcessors: true });
    expect(volumes).toEqual(
      expect.arrayContaining([
        {
          name: 'enc',
          secret: {
            secretName: 'production-enc',
            items: [
              { key: 'openvox-enc', path: 'openvox-enc', mode: 0o550 },
              { key: 'enc.json', path: 'enc.json', mode: 0o440 },
            ],
          },
        },
        { name: 'enc-cache', emptyDir: {} },
        {
          name: 'report-processors',
          secret: {
            secretName: 'production-report-processors',
            items: [
              { key: 'openvox_http.rb', path: 'openvox_http.rb', mode: 0o440 },
              { key: 'openvox_http.json', path: 'openvox_http.json', mode: 0o440 },
            ],
          },
        },
      ]),
    );
    expect(mounts).toEqual(
      expect.arrayContaining([
        { name: 'enc', mountPath: '/etc/puppetlabs/puppet/enc', readOnly: true },
        { name: 'enc-cache', mountPath: '/var/cache/openvox-enc' },
        { name: 'report-processors', mountPath: '/run/puppetserver/lib/puppet/reports', readOnly: true },
      ]),
    );
    // puppet.conf's external_nodes is the script of this mount; reportsDir is libdir ($vardir/lib) + puppet/reports.
    expect(encFiles(OPENVOX_IMAGE_LAYOUT).executable).toBe('/etc/puppetlabs/puppet/enc/openvox-enc');
    expect(OPENVOX_IMAGE_LAYOUT.reportsDir).toBe(`${OPENVOX_IMAGE_LAYOUT.serverVarDir}/lib/puppet/reports`);
  });

  it('no cache emptyDir when caching is off or the directory is on a writable volume already', () => {
    expect(pod({ enc: {} }).volumes.map((v) => v.name)).not.toContain('enc-cache');
    const onTmp = pod({ enc: { cacheDirectory: '/tmp/enc' } });
    expect(onTmp.volumes.map((v) => v.name)).not.toContain('enc-cache');
    expect(onTmp.mounts.map((m) => m.mountPath)).not.toContain('/tmp/enc');
  });

  it('mount nothing without them, and nothing on a CA-only Server (it compiles no catalogs)', () => {
    const names = (p: ReturnType<typeof pod>) => p.volumes.map((v) => v.name);
    expect(names(pod(undefined))).not.toEqual(expect.arrayContaining(['enc']));
    const caOnly = pod({ enc: {}, reportProcessors: true }, { ca: true, server: false });
    expect(names(caOnly).filter((n) => ['enc', 'enc-cache', 'report-processors'].includes(n))).toEqual([]);
  });
});
