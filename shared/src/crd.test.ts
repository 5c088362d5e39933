import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { KINDS, certificateAuthority, pool, server } from './api/kinds.js';
import { buildCrd } from './crd.js';
import { renderCrdFiles } from './crd-files.js';
import { createValidator } from './validation.js';
import { ServerSpec } from './api/server.js';

type Node = Record<string, unknown> & {
  properties?: Record<string, Node>;
  items?: Node;
  additionalProperties?: Node | boolean;
};

/** Every property path under `node` that lacks a description. */
function undocumented(node: Node, path: string): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const here = `${path}.${key}`;
    if (here.endsWith('.metadata') && path.split('.').length === 1) continue; // the API server forbids a description there
    if (typeof child.description !== 'string' || child.description.trim() === '') out.push(here);
    out.push(...undocumented(child, here));
  }
  if (node.items) out.push(...undocumented(node.items, `${path}[]`));
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    out.push(...undocumented(node.additionalProperties, `${path}{}`));
  }
  return out;
}

function openApi(kind = server): Node {
  return buildCrd(kind).spec.versions[0]!.schema!.openAPIV3Schema as Node;
}

describe('generated CRDs', () => {
  it('match the committed YAML files (run `npm run gen:crds` after a schema change)', () => {
    for (const [path, text] of renderCrdFiles(KINDS)) {
      expect({ path, text: readFileSync(path, 'utf8') }).toEqual({ path, text });
    }
  });

  it.each(KINDS.map((k) => [k.kind, k]))('%s: every property has a description', (_name, kind) => {
    expect(undocumented(openApi(kind), kind.kind)).toEqual([]);
  });

  it('puts the static Server defaults in the schema but no javaArgs default', () => {
    const spec = openApi().properties!.spec!;
    const props = spec.properties!;
    expect(props.server!.default).toBe(true);
    expect(props.ca!.default).toBe(false);
    expect(props.replicas!.default).toBe(1);
    expect(props.maxActiveInstances!.default).toBe(1);
    expect(props.javaArgs!.default).toBeUndefined();
    expect(props.autoscaling!.properties!.maxReplicas!.default).toBe(5);
    expect(props.autoscaling!.properties!.targetCPU!.default).toBe(75);
    expect(props.pdb!.properties!.enabled!.default).toBe(false);
    expect(props.pdb!.properties!.maxUnavailable!.default).toBeUndefined();
    expect(String(props.replicas!.description)).toContain('Defaults to 1.');
  });

  it('marks pdb budgets as int-or-string and keeps value ranges out of the schema', () => {
    const pdb = openApi().properties!.spec!.properties!.pdb!.properties!;
    expect(pdb.minAvailable!['x-kubernetes-int-or-string']).toBe(true);
    expect(pdb.maxUnavailable!['x-kubernetes-int-or-string']).toBe(true);
    expect(JSON.stringify(openApi().properties!.spec)).not.toMatch(/"(minimum|maximum|maxLength|maxItems)"/);
  });

  it('carries the Server invariants as CEL rules on spec, spec.autoscaling and spec.pdb, and nowhere else', () => {
    const spec = openApi().properties!.spec!;
    const rules = (node: Node) => (node['x-kubernetes-validations'] as { rule: string; fieldPath?: string }[]) ?? [];
    expect(rules(spec).map((r) => r.fieldPath)).toEqual(['.replicas', '.autoscaling.enabled']);
    expect(rules(spec.properties!.autoscaling!).map((r) => r.fieldPath)).toEqual([
      '.minReplicas',
      '.maxReplicas',
      '.targetCPU',
    ]);
    expect(rules(spec.properties!.pdb!).map((r) => r.fieldPath)).toEqual([undefined]);
    const total = JSON.stringify(buildCrd(server)).match(/"x-kubernetes-validations"/g)?.length;
    expect(total).toBe(3);
    // The other kinds carry only the Go operator's rules (and a Database's pdb the Server's budget rule).
    const messages = (kind: (typeof KINDS)[number]) =>
      [...JSON.stringify(buildCrd(kind)).matchAll(/"(?:message|messageExpression)":"((?:[^"\\]|\\.)*)"/g)].map(
        (m) => m[1],
      );
    expect(Object.fromEntries(KINDS.filter((k) => k !== server).map((k) => [k.kind, messages(k).length]))).toEqual({
      Config: 0,
      Certificate: 0,
      CertificateAuthority: 0,
      Pool: 2,
      NodeClassifier: 3,
      ReportProcessor: 2,
      Database: 1,
      SigningPolicy: 0,
      AgentCertificate: 0,
    });
    // Every rule and message reads integers and booleans only: a string or list would need maxLength
    // or maxItems for the API server's cost estimate.
    for (const rule of [spec, spec.properties!.autoscaling!, spec.properties!.pdb!].flatMap(rules)) {
      expect(JSON.stringify(rule)).not.toMatch(
        /self\.(configRef|certificateRef|poolRefs|javaArgs|image|code|resources)/,
      );
    }
  });

  it('defaults an absent spec to {} for kinds whose spec has no required field', () => {
    expect(openApi(pool).required).toBeUndefined();
    expect(openApi(pool).properties!.spec!.default).toEqual({});
    expect(openApi(certificateAuthority).properties!.spec!.default).toEqual({});
    expect(openApi().required).toEqual(['spec']);
    expect(openApi().properties!.spec!.default).toBeUndefined();
  });

  it('has status as a subresource and the Server printer columns', () => {
    const version = buildCrd(server).spec.versions[0]!;
    expect(version.subresources?.status).toEqual({});
    expect(version.additionalPrinterColumns!.map((c) => c.name)).toEqual([
      'Config',
      'CA',
      'Replicas',
      'Ready',
      'Phase',
      'Age',
    ]);
  });

  it('embeds the generated core types with their own descriptions', () => {
    const props = openApi().properties!.spec!.properties!;
    expect(props.affinity!.properties!.nodeAffinity!.description).toMatch(/node affinity/i);
    expect(props.resources!.properties!.limits!.additionalProperties).toMatchObject({
      'x-kubernetes-int-or-string': true,
    });
  });
});

describe('Server validator from the same schema', () => {
  const validate = createValidator(ServerSpec, 'spec');
  const seed = parse(readFileSync(new URL('../../examples/server.yaml', import.meta.url), 'utf8'));

  it('accepts the seed example', () => {
    expect(validate(seed.spec)).toEqual([]);
  });

  it('rejects replicas: "three" with the field path', () => {
    expect(validate({ ...seed.spec, replicas: 'three' })).toEqual([
      { field: 'spec.replicas', message: 'Invalid value: must be of type integer' },
    ]);
  });

  it('reports every violation at once', () => {
    const errors = validate({ poolRefs: [1], pdb: { minAvailable: true } });
    expect(errors.map((e) => e.field).sort()).toEqual([
      'spec.certificateRef',
      'spec.configRef',
      'spec.pdb.minAvailable',
      'spec.poolRefs[0]',
    ]);
  });
});
