// The rendered pod follows the pod layout: every mount names a volume of the pod, every path is the
// layout's, and the helper scripts copy to the files the config files name.
import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import {
  HELPER_MOUNT,
  OPENVOX_IMAGE_LAYOUT as L,
  VOLUME,
  configFileMounts,
  crlSyncPaths,
  tlsInitCopies,
  writableDirs,
} from '../../contracts/pod-layout.js';
import { authority, certificate, config, HASHES, server } from '../fixtures.test-helpers.js';
import { renderDeployment } from './deployment.js';

const variants: [string, V1Deployment][] = [
  [
    'non-CA',
    renderDeployment({
      server: server(),
      config: config(),
      certificate: certificate(),
      ca: authority(),
      hashes: HASHES,
    }),
  ],
  [
    'CA',
    renderDeployment({
      server: server('ca', { ca: true, replicas: 1 }),
      config: config(),
      certificate: certificate(),
      ca: authority(),
      hashes: HASHES,
    }),
  ],
  [
    'code',
    renderDeployment({
      server: server('code', { code: { claimName: 'code' } }),
      config: config(),
      certificate: certificate(),
      ca: authority(),
      hashes: HASHES,
    }),
  ],
];
const containers = (d: V1Deployment): V1Container[] => [
  ...(d.spec!.template.spec!.initContainers ?? []),
  ...d.spec!.template.spec!.containers,
];
const container = (d: V1Deployment, name: string) => containers(d).find((c) => c.name === name)!;
const mountsOf = (c: V1Container) => Object.fromEntries((c.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));

describe.each(variants)('the %s pod', (_label, d) => {
  const isCA = d.spec!.strategy!.type === 'Recreate';

  it('mounts only volumes the pod declares, and declares no volume twice', () => {
    const volumes = d.spec!.template.spec!.volumes!.map((v) => v.name);
    expect(new Set(volumes).size).toBe(volumes.length);
    for (const c of containers(d)) for (const m of c.volumeMounts ?? []) expect(volumes).toContain(m.name);
  });

  it('mounts every volume of the server container at the path of the layout', () => {
    const expected: Record<string, string> = {
      [VOLUME.ssl]: L.ssldir,
      ...Object.fromEntries(writableDirs(L).map((w) => [w.volume, w.mountPath])),
      ...Object.fromEntries(configFileMounts(isCA, L).map((f) => [f.volume, f.mountPath])),
      ...(isCA
        ? { [VOLUME.caData]: L.cadir, [VOLUME.autosignPolicy]: L.autosignDir }
        : { [VOLUME.crl]: L.crlMountDir }),
    };
    const mounts = mountsOf(container(d, 'openvox-server'));
    expect(mounts).toMatchObject(expected);
    expect(Object.keys(mounts).filter((name) => !(name in expected) && name !== VOLUME.code)).toEqual([]);
    if (mounts[VOLUME.code]) expect(mounts[VOLUME.code]).toBe(L.environmentPath);
  });

  it('mounts the helper containers at the layout helper paths', () => {
    expect(mountsOf(container(d, 'tls-init'))).toEqual({
      [VOLUME.ssl]: HELPER_MOUNT.ssl,
      [VOLUME.sslCert]: HELPER_MOUNT.sslCert,
      [VOLUME.sslCa]: HELPER_MOUNT.sslCa,
    });
    if (isCA)
      expect(mountsOf(container(d, 'ca-init'))).toEqual({
        [VOLUME.caData]: HELPER_MOUNT.caData,
        [VOLUME.caKey]: HELPER_MOUNT.caKey,
        [VOLUME.crl]: HELPER_MOUNT.caCrl,
      });
    else
      expect(mountsOf(container(d, 'crl-sync'))).toEqual({
        [VOLUME.ssl]: HELPER_MOUNT.ssl,
        [VOLUME.crl]: HELPER_MOUNT.crl,
      });
  });

  it('lets tls-init copy into the files puppet.conf names, seen through the ssl mount', () => {
    const script = container(d, 'tls-init').command!.join(' ');
    const copies = tlsInitCopies(L);
    expect(copies.map((c) => c.to.replace(HELPER_MOUNT.ssl, L.ssldir))).toEqual([
      L.hostcert,
      L.hostprivkey,
      L.localcacert,
    ]);
    for (const { from, to } of copies) expect(script).toContain(`cp ${from} ${to}`);
  });
});

it('lets crl-sync write the hostcrl file webserver.conf names', () => {
  const { target } = crlSyncPaths(L);
  expect(target.replace(HELPER_MOUNT.ssl, L.ssldir)).toBe(L.hostcrl);
  const sync = container(variants[0]![1], 'crl-sync');
  expect(sync.env).toContainEqual({ name: 'CRL_TARGET', value: target });
});
