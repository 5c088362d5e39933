// How the validating webhook asks whether a referenced object exists: a cache read, never an API call.

export type ReferenceKind = 'Config' | 'Certificate';

export interface ReferenceLookup {
  /** true/false from the cache; undefined when lookups are off, the cache has not synced or the namespace is not watched. */
  exists(kind: ReferenceKind, namespace: string, name: string): boolean | undefined;
  /**
   * Names of the Certificates in `namespace` signed by `authorityRef` whose certname (spec.certname, else
   * the name) is `certname`, compared case-insensitively; undefined when the cache cannot tell.
   */
  certnameHolders?(namespace: string, authorityRef: string, certname: string): string[] | undefined;
  /** Whether the cache is ready (always true when lookups are off). */
  synced(): boolean;
}

/** Lookups switched off: no cluster configured. Never warns. */
export const noReferences: ReferenceLookup = {
  exists: () => undefined,
  synced: () => true,
};

/** A fixed set of existing objects, keyed `Kind/namespace/name`; for tests and benchmarks. */
export function staticReferences(keys: Iterable<string>): ReferenceLookup {
  const set = new Set(keys);
  return { exists: (kind, ns, name) => set.has(`${kind}/${ns}/${name}`), synced: () => true };
}
