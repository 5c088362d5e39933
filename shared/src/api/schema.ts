// Small builders that keep every schema structural (what a CRD accepts) and documented
// (what `kubectl explain` prints). Value rules live in the webhook; the few that must hold without it
// are CEL rules too (server-invariants.ts).
import Type, { type TSchema } from 'typebox';
import core from './generated/core-v1.json' with { type: 'json' };

export { Type };
export type Static<T extends TSchema> = Type.Static<T>;

/** A description with the default spelled out: `kubectl explain` does not show schema defaults. */
function withDefault(description: string, value: unknown): string {
  return `${description} Defaults to ${typeof value === 'string' ? value : JSON.stringify(value)}.`;
}

export function str(description: string, opts: { default?: string } = {}) {
  return opts.default === undefined
    ? Type.String({ description })
    : Type.String({ description: withDefault(description, opts.default), default: opts.default });
}

export function bool(description: string, opts: { default?: boolean } = {}) {
  return opts.default === undefined
    ? Type.Boolean({ description })
    : Type.Boolean({ description: withDefault(description, opts.default), default: opts.default });
}

export function int32(description: string, opts: { default?: number } = {}) {
  return opts.default === undefined
    ? Type.Integer({ format: 'int32', description })
    : Type.Integer({ format: 'int32', description: withDefault(description, opts.default), default: opts.default });
}

export function stringEnum<const V extends readonly string[]>(
  values: V,
  description: string,
  opts: { default?: V[number] } = {},
) {
  const text = `${description} One of: ${values.join(', ')}.`;
  return Type.Unsafe<V[number]>(
    opts.default === undefined
      ? { type: 'string', enum: [...values], description: text }
      : { type: 'string', enum: [...values], description: withDefault(text, opts.default), default: opts.default },
  );
}

/** An integer or a string such as "50%" (Kubernetes IntOrString). */
export function intOrString(description: string) {
  return Type.Unsafe<number | string>({
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    description,
  });
}

export function stringList(description: string) {
  return Type.Array(Type.String(), { description });
}

export function stringMap(description: string) {
  return Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string' }, description });
}

type CoreName = Exclude<keyof typeof core, '$comment'>;

/** A Kubernetes core type, inlined from the generated OpenAPI data, with our own description. */
export function coreType<T>(name: CoreName, description: string) {
  return Type.Unsafe<T>({ ...structuredClone(core[name]), description });
}

export function coreList<T>(name: CoreName, description: string) {
  return Type.Unsafe<T[]>({ type: 'array', description, items: structuredClone(core[name]) });
}

/** The standard metav1.Condition shape. */
export const Condition = Type.Object(
  {
    type: Type.String({ description: 'Type of condition in CamelCase, for example Ready.' }),
    status: stringEnum(['True', 'False', 'Unknown'] as const, 'Status of the condition.'),
    observedGeneration: Type.Optional(
      Type.Integer({ format: 'int64', description: 'The .metadata.generation that the condition was set based upon.' }),
    ),
    lastTransitionTime: Type.String({
      format: 'date-time',
      description: 'Last time the condition transitioned from one status to another.',
    }),
    reason: Type.String({ description: 'Programmatic identifier in CamelCase for the last transition.' }),
    message: Type.String({ description: 'Human-readable message with details about the last transition.' }),
  },
  { description: 'A standard Kubernetes condition (metav1.Condition).' },
);
export type Condition = Static<typeof Condition>;

export function conditions(description: string) {
  return Type.Unsafe<Condition[]>({
    type: 'array',
    description,
    items: Condition,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  });
}

export const observedGeneration = Type.Integer({
  format: 'int64',
  description: 'The .metadata.generation the controller last acted on.',
});
