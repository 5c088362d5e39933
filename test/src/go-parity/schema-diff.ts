// Compares the Go operator's CRD schemas (vendored in test/fixtures/go-crds) with ours, field by
// field: every spec property it has must exist here with the same type and default.
type Node = {
  type?: string;
  default?: unknown;
  properties?: Record<string, Node>;
  items?: Node;
  additionalProperties?: Node | boolean;
  'x-kubernetes-int-or-string'?: boolean;
};

export interface FieldDifference {
  path: string;
  problem: string;
}

function typeOf(node: Node): string {
  return node['x-kubernetes-int-or-string'] ? 'int-or-string' : (node.type ?? 'any');
}

/** Every difference under `go` that `ours` does not match; `path` names the field as kubectl explain does. */
export function schemaDifferences(go: Node, ours: Node | undefined, path: string): FieldDifference[] {
  if (!ours) return [{ path, problem: 'missing' }];
  const out: FieldDifference[] = [];
  if (typeOf(go) !== typeOf(ours)) out.push({ path, problem: `type ${typeOf(ours)}, Go ${typeOf(go)}` });
  if (go.default !== undefined && JSON.stringify(go.default) !== JSON.stringify(ours.default)) {
    out.push({ path, problem: `default ${JSON.stringify(ours.default)}, Go ${JSON.stringify(go.default)}` });
  }
  for (const [key, child] of Object.entries(go.properties ?? {})) {
    out.push(...schemaDifferences(child, ours.properties?.[key], `${path}.${key}`));
  }
  if (go.items) out.push(...schemaDifferences(go.items, ours.items, `${path}[]`));
  if (go.additionalProperties && typeof go.additionalProperties === 'object') {
    const theirs = typeof ours.additionalProperties === 'object' ? ours.additionalProperties : undefined;
    out.push(...schemaDifferences(go.additionalProperties, theirs, `${path}{}`));
  }
  return out;
}
