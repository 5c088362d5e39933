// The inventory must be able to see the faults it exists for: a second Deployment of one Server under
// another name, and a Deployment left behind by a deleted Server.
import { jest } from '@jest/globals';

const objects: Record<string, unknown[]> = {};
jest.unstable_mockModule('./objects.js', () => ({
  KIND: { server: 'servers.openvox.voxpupuli.org' },
  listObjects: (kind: string) => objects[kind] ?? [],
  server: () => ({}),
}));
jest.unstable_mockModule('./kubectl.js', () => ({ kubectlOk: () => '' }));
const { inventory } = await import('./convergence.js');

const serverObj = (name: string, uid: string) => ({ metadata: { name, uid } });
const deployment = (name: string, ownerUid?: string) => ({
  metadata: {
    name,
    ownerReferences: ownerUid ? [{ kind: 'Server', name: 'x', uid: ownerUid, controller: true }] : [],
  },
});

it('counts a second Deployment of a Server under another name as a duplicate', () => {
  objects['servers.openvox.voxpupuli.org'] = [serverObj('a', 'ua'), serverObj('b', 'ub')];
  objects.deployments = [deployment('a', 'ua'), deployment('a-copy', 'ua'), deployment('b', 'ub')];
  expect(inventory('ns')).toMatchObject({ deployments: 3, servers: 2, duplicates: ['a'], orphans: [] });
});

it('counts Deployments without an owner or of a deleted Server as orphans', () => {
  objects['servers.openvox.voxpupuli.org'] = [serverObj('a', 'ua')];
  objects.deployments = [deployment('a', 'ua'), deployment('gone', 'u-deleted'), deployment('stray')];
  expect(inventory('ns')).toMatchObject({ duplicates: [], orphans: ['gone', 'stray'] });
});
