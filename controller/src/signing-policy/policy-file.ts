// The policy file CA pods read (`autosign-policy.json` beside the autosign script): the SigningPolicies
// of one CA, sorted by name, each with its attribute names resolved to OIDs and its Secret-sourced
// values copied in. Pure; the reconciler resolves the Secrets.
import { csrAttributeOid, type SigningPolicy } from '@openvox/shared/runtime';
import type { PolicyFileEntry } from '../contracts/autosign-policy.js';

export type { PolicyFileAttribute, PolicyFileEntry } from '../contracts/autosign-policy.js';

/** A policy that cannot be rendered: it is left out of the file (it grants nothing) and reports why. */
export class PolicyError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** One policy's entry; `values[i]` is the resolved value of `csrAttributes[i]`. */
export function policyEntry(policy: SigningPolicy, values: readonly string[]): PolicyFileEntry {
  const spec = policy.spec;
  const attributes = (spec.csrAttributes ?? []).map((a, i) => {
    const oid = csrAttributeOid(a.name);
    if (!oid) throw new PolicyError('UnknownAttribute', `csrAttributes[${i}].name ${a.name} is no known name or OID`);
    return { name: a.name, oid, value: values[i]! };
  });
  return {
    name: policy.metadata.name!,
    any: spec.any === true,
    ...(spec.pattern ? { pattern: [...spec.pattern.allow] } : {}),
    ...(spec.dnsAltNames ? { dnsAltNames: [...spec.dnsAltNames.allow] } : {}),
    csrAttributes: attributes,
  };
}

export function renderPolicyFile(entries: readonly PolicyFileEntry[]): string {
  const policies = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `${JSON.stringify({ policies }, null, 2)}\n`;
}
