// The Service `{database}-openvoxdb`: spec.service.port (default 8081) to the pods' HTTPS port.
import type { V1Service } from '@kubernetes/client-node';
import type { Database } from '@openvox/shared/runtime';
import { DATABASE_HTTPS_PORT } from '../../contracts/names.js';
import { metadataFor, selectorFor } from './metadata.js';

export function renderService(db: Database): V1Service {
  const svc = db.spec.service ?? {};
  const meta = metadataFor(db);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      ...meta,
      ...(svc.annotations && Object.keys(svc.annotations).length ? { annotations: { ...svc.annotations } } : {}),
    },
    spec: {
      type: svc.type ?? 'ClusterIP',
      selector: selectorFor(db),
      ports: [
        { name: 'https', protocol: 'TCP', port: svc.port ?? DATABASE_HTTPS_PORT, targetPort: DATABASE_HTTPS_PORT },
      ],
    },
  };
}
