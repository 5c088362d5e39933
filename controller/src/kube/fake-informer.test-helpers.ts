// An informer for unit tests: always synced, delivers only what a test emits.
import type { KubeObject } from './client.js';
import type { Handler, InformerLike } from './informer.js';
import type { ResourceType } from './resources.js';

export class FakeInformer implements InformerLike<KubeObject> {
  handlers: Handler<KubeObject>[] = [];
  items: KubeObject[] = [];
  constructor(readonly resource: ResourceType) {}
  on(h: Handler<KubeObject>) {
    this.handlers.push(h);
  }
  emit(obj: KubeObject) {
    this.items.push(obj);
    for (const h of this.handlers) h('add', obj);
  }
  hasSynced() {
    return true;
  }
  async start() {}
  async stop() {}
  get() {
    return undefined;
  }
  list() {
    return this.items;
  }
  withLabel(namespace: string, value: string) {
    const label = this.resource.indexLabel;
    if (!label) throw new Error(`${this.resource.kind} has no indexLabel`);
    return this.items.filter((o) => o.metadata?.namespace === namespace && o.metadata?.labels?.[label] === value);
  }
}
