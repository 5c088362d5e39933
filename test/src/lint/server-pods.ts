// The objects the controller renders for the examples' stack, as the webhook stores the Servers: the
// CA Server of examples/server.yaml and a two-replica catalog Server beside it (resources given, PDB on),
// plus the Pool Services in front of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Certificate, CertificateAuthority, Config, Pool, Server } from '@openvox/shared';
import { applyServerDefaults } from '@openvox/webhook';
import { jsonHash, poolService, render } from '@openvox/controller';
import { REPO_ROOT } from '../cluster/paths.js';

const NAMESPACE = 'production';

function examples(): KubernetesObject[] {
  const dir = join(REPO_ROOT, 'examples');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS()))
    .map((o: KubernetesObject & { spec?: unknown }) => ({
      ...o,
      metadata: { ...o.metadata, namespace: NAMESPACE, uid: `uid-${o.metadata!.name}` },
      spec: o.spec ?? {},
    }));
}

export function serverPodObjects(): object[] {
  const all = examples();
  const ofKind = <T>(kind: string): T[] => all.filter((o) => o.kind === kind) as T[];
  const [ca] = ofKind<Server>('Server');
  // No javaArgs: the webhook derives the heap from the memory limit.
  const caSpec = { ...ca!.spec };
  delete caSpec.javaArgs;
  const compiler: Server = {
    ...ca!,
    metadata: { ...ca!.metadata, name: 'production-compiler', uid: 'uid-production-compiler' },
    spec: {
      ...caSpec,
      ca: false,
      replicas: 2,
      poolRefs: ['production-server'],
      resources: { requests: { cpu: '1', memory: '1536Mi' }, limits: { memory: '1536Mi' } },
      pdb: { enabled: true },
    },
  };
  const config = ofKind<Config>('Config')[0]!;
  const certificate = ofKind<Certificate>('Certificate')[0]!;
  const authority = ofKind<CertificateAuthority>('CertificateAuthority')[0]!;
  const hashes = {
    config: jsonHash(config.spec),
    sslCert: jsonHash(certificate.spec),
    ca: jsonHash(authority.spec),
  };
  const rendered = [ca!, compiler].map((server) =>
    render({ server: applyServerDefaults(server), config, certificate, ca: authority, hashes }),
  );
  return [
    ...rendered.flatMap((r) => [r.deployment, ...(r.hpa ? [r.hpa] : []), ...(r.pdb ? [r.pdb] : [])]),
    ...ofKind<Pool>('Pool').map(poolService),
  ];
}
