// examples/ never rots: every document is a known kind whose spec passes the schema the CRD is built from.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { API_VERSION, KINDS, createValidator } from '@openvox/shared';
import { REPO_ROOT } from './cluster/paths.js';

interface ExampleObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: unknown;
}

const dir = join(REPO_ROOT, 'examples');
const documents = readdirSync(dir)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => ({
      file,
      object: doc.toJS() as ExampleObject,
    })),
  );

it('has the seed Server and a Config, Certificate, CertificateAuthority, Pool and SigningPolicy', () => {
  const kinds = new Set(documents.map((d) => d.object.kind));
  expect([...kinds].sort()).toEqual([
    'Certificate',
    'CertificateAuthority',
    'Config',
    'Pool',
    'Server',
    'SigningPolicy',
  ]);
});

it.each(documents.map((d) => [`${d.file} ${d.object.kind}/${d.object.metadata.name}`, d.object]))(
  '%s matches its schema',
  (_label, object) => {
    const kind = KINDS.find((k) => k.kind === object.kind);
    expect(kind).toBeDefined();
    expect(object.apiVersion).toBe(API_VERSION);
    expect(createValidator(kind!.spec, 'spec')(object.spec ?? {})).toEqual([]);
  },
);
