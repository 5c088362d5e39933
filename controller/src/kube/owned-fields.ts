// Keeps of an object's spec only the fields our field manager set, as its managedFields record them.
// Reconcile compares what it wants with the live object field by field (compare.ts) and reads nothing
// else of the spec, so the rest (API defaults, fields other controllers set) is memory for nothing: for
// a Deployment most of it. A field another manager took over from us drops out, so the comparison
// sees it missing and re-applies, as it would have seen the changed value.
import { FIELD_MANAGER } from '@openvox/shared/runtime';
import type { KubeObject } from './client.js';

type Fields = Record<string, unknown>;

interface ManagedFieldsEntry {
  manager?: string;
  fieldsV1?: Fields;
}

/** Merges fieldsV1 trees (our Apply entry and any Update entries of ours). */
function mergeFields(a: Fields, b: Fields): Fields {
  const out: Fields = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeFields(out[k] as Fields, v as Fields) : v;
  return out;
}

function matchesKey(item: unknown, key: Fields): boolean {
  if (typeof item !== 'object' || item === null) return false;
  return Object.entries(key).every(([k, v]) => (item as Fields)[k] === v);
}

/** `value` reduced to the parts `fields` (a fieldsV1 node) names; a leaf ({} or only ".") keeps it whole. */
export function projectFields(value: unknown, fields: Fields): unknown {
  const children = Object.keys(fields).filter((k) => k !== '.');
  if (children.length === 0) return value;
  if (Array.isArray(value)) {
    // Keys parsed once per list, each item matched once: this runs on every watch event of a Deployment.
    const keyed = children.filter((k) => k.startsWith('k:')).map((k) => [k, JSON.parse(k.slice(2)) as Fields] as const);
    const members = new Set(children.filter((k) => k.startsWith('v:')).map((k) => k.slice(2)));
    const out: unknown[] = [];
    for (const item of value) {
      const key = keyed.find(([, fieldsOfKey]) => matchesKey(item, fieldsOfKey))?.[0];
      if (key) out.push(projectFields(item, fields[key] as Fields));
      else if (members.size && members.has(JSON.stringify(item))) out.push(item);
    }
    return out;
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: Fields = {};
  for (const k of children) {
    if (!k.startsWith('f:')) continue;
    const name = k.slice(2);
    if (name in (value as Fields)) out[name] = projectFields((value as Fields)[name], fields[k] as Fields);
  }
  return out;
}

/** Replaces `obj.spec` by the part of it our field manager set, in place; unchanged when we set none. */
export function keepOwnedSpec(obj: KubeObject): void {
  const entries = (obj.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  const ours = entries.filter((e) => e.manager === FIELD_MANAGER && e.fieldsV1);
  if (!ours.length || obj.spec === undefined) return;
  const fields = ours.map((e) => e.fieldsV1!).reduce(mergeFields);
  const spec = fields['f:spec'] as Fields | undefined;
  obj.spec = spec ? projectFields(obj.spec, spec) : {};
}
