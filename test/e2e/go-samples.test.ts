// The Go operator's own sample manifests (vendored unchanged in test/fixtures/go-samples, see its
// SOURCE.md) apply here with strict field validation, only the namespace changed: no unknown field,
// no dropped field, no refusal. Server-side dry run: the API server, our webhook and the CRDs judge
// each document as they would a real apply.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../src/cluster/paths.js';
import { kubectl } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'go-samples');

interface Sample {
  kind: string;
  metadata: { name: string; namespace?: string };
}

const samples = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8'))
      .map((doc) => doc.toJS() as Sample | null)
      .filter((o): o is Sample => o !== null)
      .map((object) => ({ file, object })),
  );

let ns: string;
beforeAll(() => {
  ns = createNamespace('e2e-go-samples');
});
afterAll(() => deleteNamespace(ns));

it('vendors all 22 documents of the 11 sample files', () => {
  expect(new Set(samples.map((s) => s.file)).size).toBe(11);
  expect(samples).toHaveLength(22);
});

const cases = samples.map((s) => [`${s.file} ${s.object.kind}/${s.object.metadata.name}`, s.object] as const);

describe.each(cases)('%s', (_label, object) => {
  it('is accepted by kubectl apply --dry-run=server --validate=strict', () => {
    const doc = { ...object, metadata: { ...object.metadata, namespace: ns } };
    const result = kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', '-'], doc);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(result.stdout).toContain(`${object.metadata.name} created (server dry run)`);
    // Strict validation turns an unknown field into an error; a warning about one would mean a dropped field.
    expect(result.stderr).not.toMatch(/unknown field|duplicate field/i);
    if (object.kind === 'Pool' && 'selector' in ((object as { spec?: object }).spec ?? {})) {
      expect(result.stderr).toContain('Warning: spec.selector is ignored');
      expect(result.stderr).toContain('Warning: spec.configRef is ignored');
    }
  });
});
