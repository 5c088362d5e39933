// The Server rules that must hold even when the admission webhook is bypassed (failurePolicy Ignore, a
// namespace it excludes, an outage): several pods on one CA volume, an HPA on a CA, PDB or HPA
// settings the API server would store but no controller can render. Each is written once here, as a
// CEL rule the CRD carries (x-kubernetes-validations) and as the same check in TypeScript, which the
// controller's renderer runs before it renders. The webhook keeps its own, richer rules (every
// violation at once, with the other rules' causes).
//
// Cost: every rule reads integers and booleans only (no strings, lists or maps), so the API server's
// estimated cost stays constant. Messages use format(): a `+` of string(int) is estimated as an
// unbounded string and refused.

/** One x-kubernetes-validations entry. */
export interface CelValidation {
  rule: string;
  messageExpression: string;
  /** Relative to the schema node the rule sits on; absent: the node itself. */
  fieldPath?: string;
  reason: 'FieldValueInvalid' | 'FieldValueForbidden';
}

/** Where a rule sits: on spec, spec.autoscaling or spec.pdb (the node whose fields it compares). */
export type InvariantNode = 'spec' | 'autoscaling' | 'pdb';

export interface ServerViolation {
  /** The field path the API server names too, e.g. spec.autoscaling.maxReplicas. */
  field: string;
  message: string;
}

interface SpecView {
  ca?: boolean;
  replicas?: number;
  autoscaling?: { enabled?: boolean; minReplicas?: number; maxReplicas?: number; targetCPU?: number };
  pdb?: { minAvailable?: number | string; maxUnavailable?: number | string };
}

export interface ServerInvariant {
  node: InvariantNode;
  cel: CelValidation;
  /** The same rule in TypeScript: the violation, or undefined when the spec keeps the rule. */
  check(spec: SpecView): ServerViolation | undefined;
}

const has = (value: unknown): boolean => value !== undefined && value !== null;

const CA_REPLICAS =
  'must be 0 or 1 when ca is true: one pod writes the CA volume (the Deployment uses Recreate), got %d';
const CA_AUTOSCALING = 'autoscaling cannot be enabled when ca is true: one pod writes the CA volume';
const PDB_EXCLUSIVE =
  'minAvailable and maxUnavailable are mutually exclusive: set only one of spec.pdb.minAvailable and spec.pdb.maxUnavailable';
const MIN_REPLICAS = 'must be greater than or equal to 1, got %d';
const MAX_REPLICAS = 'must be greater than or equal to minReplicas (%d), got %d';
const TARGET_CPU = 'must be a percentage between 1 and 100, got %d';

/** A CEL string literal. */
const celString = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** `'text %d'.format([a, b])` as CEL; format() below is the same text in TypeScript. */
const celFormat = (text: string, args: string[]) => `${celString(text)}.format([${args.join(', ')}])`;
const format = (text: string, ...args: number[]) => args.reduce<string>((s, a) => s.replace('%d', String(a)), text);

export const SERVER_INVARIANTS: readonly ServerInvariant[] = [
  {
    node: 'spec',
    cel: {
      rule: '!has(self.ca) || !self.ca || !has(self.replicas) || self.replicas <= 1',
      messageExpression: celFormat(CA_REPLICAS, ['self.replicas']),
      fieldPath: '.replicas',
      reason: 'FieldValueInvalid',
    },
    check: (s) =>
      s.ca === true && has(s.replicas) && s.replicas! > 1
        ? { field: 'spec.replicas', message: format(CA_REPLICAS, s.replicas!) }
        : undefined,
  },
  {
    node: 'spec',
    cel: {
      rule: '!has(self.ca) || !self.ca || !has(self.autoscaling) || !has(self.autoscaling.enabled) || !self.autoscaling.enabled',
      messageExpression: celString(CA_AUTOSCALING),
      fieldPath: '.autoscaling.enabled',
      reason: 'FieldValueForbidden',
    },
    check: (s) =>
      s.ca === true && s.autoscaling?.enabled === true
        ? { field: 'spec.autoscaling.enabled', message: CA_AUTOSCALING }
        : undefined,
  },
  {
    node: 'pdb',
    cel: {
      rule: '!has(self.minAvailable) || !has(self.maxUnavailable)',
      messageExpression: celString(PDB_EXCLUSIVE),
      reason: 'FieldValueForbidden',
    },
    check: (s) =>
      has(s.pdb?.minAvailable) && has(s.pdb?.maxUnavailable)
        ? { field: 'spec.pdb', message: PDB_EXCLUSIVE }
        : undefined,
  },
  {
    node: 'autoscaling',
    cel: {
      rule: '!has(self.minReplicas) || self.minReplicas >= 1',
      messageExpression: celFormat(MIN_REPLICAS, ['self.minReplicas']),
      fieldPath: '.minReplicas',
      reason: 'FieldValueInvalid',
    },
    check: (s) => {
      const min = s.autoscaling?.minReplicas;
      return has(min) && min! < 1
        ? { field: 'spec.autoscaling.minReplicas', message: format(MIN_REPLICAS, min!) }
        : undefined;
    },
  },
  {
    node: 'autoscaling',
    cel: {
      rule: '!has(self.minReplicas) || !has(self.maxReplicas) || self.maxReplicas >= self.minReplicas',
      messageExpression: celFormat(MAX_REPLICAS, ['self.minReplicas', 'self.maxReplicas']),
      fieldPath: '.maxReplicas',
      reason: 'FieldValueInvalid',
    },
    check: (s) => {
      const { minReplicas: min, maxReplicas: max } = s.autoscaling ?? {};
      return has(min) && has(max) && max! < min!
        ? { field: 'spec.autoscaling.maxReplicas', message: format(MAX_REPLICAS, min!, max!) }
        : undefined;
    },
  },
  {
    node: 'autoscaling',
    cel: {
      rule: '!has(self.targetCPU) || (self.targetCPU >= 1 && self.targetCPU <= 100)',
      messageExpression: celFormat(TARGET_CPU, ['self.targetCPU']),
      fieldPath: '.targetCPU',
      reason: 'FieldValueInvalid',
    },
    check: (s) => {
      const cpu = s.autoscaling?.targetCPU;
      return has(cpu) && (cpu! < 1 || cpu! > 100)
        ? { field: 'spec.autoscaling.targetCPU', message: format(TARGET_CPU, cpu!) }
        : undefined;
    },
  },
];

/** The CRD's x-kubernetes-validations for one schema node. */
export function celValidations(node: InvariantNode): CelValidation[] {
  return SERVER_INVARIANTS.filter((i) => i.node === node).map((i) => ({ ...i.cel }));
}

/** Every invariant the spec breaks, in the order above; empty when it keeps them all. */
export function serverInvariantViolations(spec: SpecView): ServerViolation[] {
  return SERVER_INVARIANTS.map((i) => i.check(spec)).filter((v): v is ServerViolation => v !== undefined);
}
