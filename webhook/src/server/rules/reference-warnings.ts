// Warns (never denies) when configRef or certificateRef names an object not in the cache yet:
// `kubectl apply -f dir/` and GitOps tools create objects in any order.
import { verdict, type Rule } from './types.js';
import type { ReferenceKind } from '../../references/lookup.js';
import { isDnsSubdomain } from './names.js';

const REFS: [string, ReferenceKind][] = [
  ['configRef', 'Config'],
  ['certificateRef', 'Certificate'],
];

export const referenceWarnings: Rule = ({ spec, namespace, references }) => {
  if (!namespace) return verdict();
  const warnings: string[] = [];
  for (const [key, kind] of REFS) {
    const name = spec[key];
    // An invalid name is already a denial (rule 1); a warning about it would only add noise.
    if (typeof name !== 'string' || !isDnsSubdomain(name)) continue;
    if (references.exists(kind, namespace, name) === false) {
      warnings.push(
        `spec.${key}: ${kind} "${name}" does not exist in namespace "${namespace}" yet; the Server waits for it`,
      );
    }
  }
  return verdict([], warnings);
};
