// Which cached objects carry a label value, per namespace: a Server's pods are found by its name in
// O(its pods) instead of filtering every pod of the namespace on every reconcile (O(N²) at 5,000 Servers).
import type { KubeObject } from './client.js';

export class LabelIndex {
  /** namespace → label value → names */
  private readonly names = new Map<string, Map<string, Set<string>>>();
  /** namespace/name → the value it is indexed under, so an update that changes the label moves it. */
  private readonly indexed = new Map<string, string>();

  constructor(readonly label: string) {}

  set(obj: KubeObject): void {
    this.delete(obj);
    const value = obj.metadata?.labels?.[this.label];
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

  delete(obj: KubeObject): void {
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

  /** Names of the objects of namespace whose label has this value. */
  lookup(namespace: string, value: string): readonly string[] {
    return [...(this.names.get(namespace)?.get(value) ?? [])];
  }
}
