// values.yaml documents every value, and values.schema.json knows every value with its type.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import { REPO_ROOT } from '../cluster/paths.js';

const CHART = join(REPO_ROOT, 'charts', 'openvox-operator');
const values = parseDocument(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));

interface SchemaNode {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
}

function resolve(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  return resolve(schema.definitions[name]);
}

interface Key {
  path: string;
  comment: string | null | undefined;
  node: SchemaNode;
}

/** Every key of the chart's own values (free-form maps such as resources.requests are not descended). */
function keys(map: unknown, schemaNode: SchemaNode, path: string[]): Key[] {
  if (!isMap(map)) return [];
  return map.items.flatMap((pair, index) => {
    if (!isPair(pair) || !isScalar(pair.key)) return [];
    const key = String(pair.key.value);
    const child = schemaNode.properties?.[key];
    // The yaml parser hangs the comment above a map's first key on the map itself.
    const comment = pair.key.commentBefore ?? (index === 0 ? map.commentBefore : undefined);
    const here = { path: [...path, key].join('.'), comment, node: child ? resolve(child) : ({} as SchemaNode) };
    const descend = child && resolve(child).properties ? keys(pair.value, resolve(child), [...path, key]) : [];
    return [here, ...descend];
  });
}

const all = keys(values.contents, schema, []);

describe('chart values', () => {
  it('has a comment on every value in values.yaml', () => {
    const undocumented = all.filter(({ comment }) => !comment?.trim());
    expect(undocumented.map((k) => k.path)).toEqual([]);
    expect(all.length).toBeGreaterThan(40);
  });

  it('declares every value in values.schema.json, with a type', () => {
    const missing = all.filter(({ node }) => node.type === undefined);
    expect(missing.map((k) => k.path)).toEqual([]);
  });

  it('closes every object of its own values with additionalProperties: false', () => {
    const open: string[] = [];
    const walk = (node: SchemaNode, path: string) => {
      const n = resolve(node);
      if (n.properties) {
        if (n.additionalProperties !== false) open.push(path || '(root)');
        for (const [key, child] of Object.entries(n.properties)) walk(child, path ? `${path}.${key}` : key);
      }
    };
    walk(schema, '');
    expect(open).toEqual([]);
  });
});
