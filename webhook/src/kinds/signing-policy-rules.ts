// Value rules of SigningPolicy (the schema covers types and required fields): its CA reference, the
// glob patterns, and each csrAttributes entry (a known name or OID, exactly one of value and valueFrom).
import { csrAttributeOid } from '@openvox/shared';
import { SUBDOMAIN_RULE, isDnsSubdomain } from '../server/rules/names.js';
import {
  child,
  duplicate,
  forbidden,
  invalid,
  isSet,
  required,
  verdict,
  type Obj,
  type Rule,
} from '../server/rules/types.js';
import type { StatusCause } from '../admission/review.js';

const IP_PREFIX = 'IP:';
// Secret data keys (Kubernetes' IsConfigMapKey).
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** Why a glob cannot be used, or undefined: `*`, `?`, `[class]` and `\` escapes, as Go's path.Match. */
export function globProblem(pattern: string): string | undefined {
  if (pattern === '') return 'must not be empty';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i === pattern.length - 1) return 'ends with an unfinished \\ escape';
      i++;
    } else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) return 'has a [ without its ]';
      i = close;
    } else if (c === ']') {
      return 'has a ] without its [';
    }
  }
  return undefined;
}

function patterns(spec: Obj, key: 'pattern' | 'dnsAltNames'): StatusCause[] {
  const allow = child(spec, key)?.allow;
  if (!Array.isArray(allow)) return [];
  return allow.flatMap((p, i) => {
    if (typeof p !== 'string') return [];
    const glob = key === 'dnsAltNames' && p.startsWith(IP_PREFIX) ? p.slice(IP_PREFIX.length) : p;
    const problem = globProblem(glob);
    return problem ? [invalid(`spec.${key}.allow[${i}]`, p, `a glob pattern ${problem}`)] : [];
  });
}

function attribute(a: unknown, i: number, seen: Map<string, number>): StatusCause[] {
  if (typeof a !== 'object' || a === null) return [];
  const entry = a as Obj;
  const field = `spec.csrAttributes[${i}]`;
  const causes: StatusCause[] = [];
  if (typeof entry.name === 'string') {
    const oid = csrAttributeOid(entry.name);
    if (!oid) {
      causes.push(
        invalid(
          `${field}.name`,
          entry.name,
          'must be a Puppet attribute name such as pp_preshared_key or a dotted OID',
        ),
      );
    } else if (seen.has(oid)) {
      causes.push(duplicate(`${field}.name`, entry.name, `the same attribute as csrAttributes[${seen.get(oid)}]`));
    } else {
      seen.set(oid, i);
    }
  }
  const valueFrom = child(entry, 'valueFrom');
  if (isSet(entry.value) && valueFrom) {
    causes.push(forbidden(field, 'value and valueFrom are mutually exclusive: set only one'));
  } else if (!isSet(entry.value) && !valueFrom) {
    causes.push(required(`${field}.value`, 'one of value and valueFrom is required'));
  }
  const ref = valueFrom ? child(valueFrom, 'secretKeyRef') : undefined;
  if (ref && typeof ref.name === 'string' && !isDnsSubdomain(ref.name)) {
    causes.push(invalid(`${field}.valueFrom.secretKeyRef.name`, ref.name, SUBDOMAIN_RULE));
  }
  if (ref && typeof ref.key === 'string' && !SECRET_KEY.test(ref.key)) {
    causes.push(
      invalid(`${field}.valueFrom.secretKeyRef.key`, ref.key, "must be a Secret key: letters, digits, '-', '_' or '.'"),
    );
  }
  return causes;
}

export const SIGNING_POLICY_RULES: Rule[] = [
  ({ spec }) => {
    const causes: StatusCause[] = [];
    const ref = spec.certificateAuthorityRef;
    if (typeof ref === 'string' && !isDnsSubdomain(ref)) {
      causes.push(invalid('spec.certificateAuthorityRef', ref, SUBDOMAIN_RULE));
    }
    const attributes = Array.isArray(spec.csrAttributes) ? spec.csrAttributes : [];
    if (spec.any === true) {
      // `any` signs whatever the other fields say; accepting them would suggest they restrict it.
      for (const key of ['pattern', 'dnsAltNames', 'csrAttributes'] as const) {
        if (spec[key] !== undefined)
          causes.push(
            forbidden(`spec.${key}`, `must not be set when spec.any is true: any signs regardless of ${key}`),
          );
      }
    } else if (spec.pattern === undefined && attributes.length === 0) {
      causes.push(
        required(
          'spec',
          'set spec.any, spec.pattern or spec.csrAttributes: a policy without a condition signs nothing',
        ),
      );
    }
    causes.push(...patterns(spec, 'pattern'), ...patterns(spec, 'dnsAltNames'));
    const seen = new Map<string, number>();
    attributes.forEach((a, i) => causes.push(...attribute(a, i, seen)));
    return verdict(causes);
  },
];
