// Reverse index "dependency → Servers that use it", so a changed Config, Certificate, CA, ConfigMap or
// Secret enqueues exactly the Servers that read it.
export type DepKind = 'Config' | 'Certificate' | 'CertificateAuthority' | 'ConfigMap' | 'Secret';

export const depKey = (kind: DepKind, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

export class ReferenceIndex {
  private readonly byDep = new Map<string, Set<string>>();
  private readonly byServer = new Map<string, Set<string>>();

  /** Replaces the dependencies recorded for a Server. */
  set(serverKey: string, deps: Iterable<string>): void {
    this.remove(serverKey);
    const set = new Set(deps);
    this.byServer.set(serverKey, set);
    for (const d of set) {
      let users = this.byDep.get(d);
      if (!users) this.byDep.set(d, (users = new Set()));
      users.add(serverKey);
    }
  }

  /** Adds dependencies without dropping known ones (spec refs seen before the first reconcile). */
  add(serverKey: string, deps: Iterable<string>): void {
    this.set(serverKey, [...(this.byServer.get(serverKey) ?? []), ...deps]);
  }

  remove(serverKey: string): void {
    for (const d of this.byServer.get(serverKey) ?? []) {
      const users = this.byDep.get(d);
      users?.delete(serverKey);
      if (users?.size === 0) this.byDep.delete(d);
    }
    this.byServer.delete(serverKey);
  }

  users(dep: string): string[] {
    return [...(this.byDep.get(dep) ?? [])];
  }

  depsOf(serverKey: string): string[] {
    return [...(this.byServer.get(serverKey) ?? [])];
  }
}
