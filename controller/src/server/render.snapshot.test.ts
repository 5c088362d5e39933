// The rendered objects of the examples, byte for byte: a refactor of the renderers must not change them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { Certificate, CertificateAuthority, Config, Server } from '@openvox/shared';
import { render } from './render/index.js';
import { HASHES } from './fixtures.test-helpers.js';

const EXAMPLES = join(import.meta.dirname, '../../../examples');
const NS = 'snapshot';

const objects = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .flatMap((file) => parseAllDocuments(readFileSync(join(EXAMPLES, file), 'utf8')).map((d) => d.toJS()))
  .map((o) => ({
    ...o,
    metadata: { ...o.metadata, namespace: NS, uid: `uid-${o.metadata.name}` },
    spec: o.spec ?? {},
  }));
const one = <T>(kind: string): T => objects.find((o) => o.kind === kind) as T;

const example = one<Server>('Server');
const variants: [string, Server['spec']][] = [
  ['example', example.spec],
  ['compiler', { ...example.spec, ca: false, replicas: 2, poolRefs: ['b', 'a'] }],
  [
    'autoscaled',
    {
      ...example.spec,
      ca: false,
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 },
      pdb: { enabled: true, minAvailable: 1 },
    },
  ],
  ['code-image', { ...example.spec, ca: false, code: { image: 'registry.example/code:1', imagePullSecret: 'code' } }],
  ['code-claim', { ...example.spec, code: { claimName: 'code' } }],
];

it.each(variants)('renders the %s Server as before', (name, spec) => {
  const rendered = render({
    server: { ...example, metadata: { ...example.metadata, name }, spec },
    config: one<Config>('Config'),
    certificate: one<Certificate>('Certificate'),
    ca: one<CertificateAuthority>('CertificateAuthority'),
    hashes: HASHES,
  });
  expect(stringify(rendered)).toMatchSnapshot();
});
