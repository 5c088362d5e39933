import type { Pool } from '@openvox/shared';
import { poolService } from './render.js';

const pool = (spec: Pool['spec'] = {}): Pool => ({
  apiVersion: 'openvox.voxpupuli.org/v1alpha1',
  kind: 'Pool',
  metadata: { name: 'production-server', namespace: 'prod', uid: 'pool-uid' },
  spec,
});

describe('poolService', () => {
  it('selects the pool label on port 8140 by default', () => {
    const svc = poolService(pool());
    expect(svc.metadata?.name).toBe('production-server');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'openvox.voxpupuli.org/pool-production-server': 'true' },
      ports: [{ name: 'https', protocol: 'TCP', port: 8140, targetPort: 8140 }],
    });
    expect(svc.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Pool', uid: 'pool-uid', controller: true });
  });

  it('renders a Pool stored without any spec (kubectl apply of a bare Pool)', () => {
    const bare = { ...pool(), spec: undefined } as unknown as Pool;
    expect(poolService(bare).spec?.ports?.[0]).toMatchObject({ port: 8140, targetPort: 8140 });
  });

  it('maps spec.service.port to targetPort 8140 and keeps operator labels over user labels', () => {
    const svc = poolService(
      pool({
        service: {
          type: 'NodePort',
          port: 443,
          nodePort: 30443,
          labels: { team: 'a', 'app.kubernetes.io/managed-by': 'me' },
          annotations: { x: 'y' },
          externalIPs: ['192.0.2.1'],
        },
      }),
    );
    expect(svc.spec?.ports).toEqual([{ name: 'https', protocol: 'TCP', port: 443, targetPort: 8140, nodePort: 30443 }]);
    expect(svc.spec?.externalIPs).toEqual(['192.0.2.1']);
    expect(svc.metadata?.labels).toMatchObject({ team: 'a', 'app.kubernetes.io/managed-by': 'openvox-operator' });
    expect(svc.metadata?.annotations).toEqual({ x: 'y' });
  });

  it('ignores nodePort on a ClusterIP Service', () => {
    expect(poolService(pool({ service: { nodePort: 30000 } })).spec?.ports?.[0]?.nodePort).toBeUndefined();
  });
});
