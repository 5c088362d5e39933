// Which cached objects carry a label value (or another key), per namespace: a Server's pods are found by
// its name in O(its pods) instead of filtering every pod of the namespace on every reconcile (O(N²) at
// 5,000 Servers); a pod's probe-failure Events by the pod's name.
import type { KubeObject } from './client.js';

export class ObjectIndex<T extends KubeObject = KubeObject> {
  /** namespace → key → names */
  private readonly names = new Map<string, Map<string, Set<string>>>();
  /** namespace/name → the key it is indexed under, so an update that changes the key moves it. */
  private readonly indexed = new Map<string, string>();

  constructor(private readonly keyOf: (obj: T) => string | undefined) {}

  set(obj: T): void {
    this.delete(obj);
    const value = this.keyOf(obj);
    if (value === undefined) return;
    const ns = obj.metadata?.namespace ?? '';
    const name = obj.metadata?.name ?? '';
    let values = this.names.get(ns);
    if (!values) this.names.set(ns, (values = new Map()));
    let names = values.get(value);
    if (!names) values.set(value, (names = new Set()));
    names.add(name);
    this.indexed.set(`${ns}/${name}`, value);
  }

  delete(obj: T): void {
    const ns = obj.metadata?.namespace ?? '';
    const name = obj.metadata?.name ?? '';
    const key = `${ns}/${name}`;
    const value = this.indexed.get(key);
    if (value === undefined) return;
    this.indexed.delete(key);
    const values = this.names.get(ns);
    const names = values?.get(value);
    names?.delete(name);
    if (names?.size === 0) values!.delete(value);
    if (values?.size === 0) this.names.delete(ns);
  }

  /** Names of the objects of namespace indexed under this key (label value). */
  lookup(namespace: string, value: string): readonly string[] {
    return [...(this.names.get(namespace)?.get(value) ?? [])];
  }
}

export class LabelIndex extends ObjectIndex {
  constructor(readonly label: string) {
    super((obj) => obj.metadata?.labels?.[label]);
  }
}
