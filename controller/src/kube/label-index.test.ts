import { LabelIndex } from './label-index.js';

const pod = (namespace: string, name: string, server?: string) => ({
  metadata: { namespace, name, ...(server ? { labels: { server } } : {}) },
});

describe('LabelIndex', () => {
  it('finds objects by label value within one namespace only', () => {
    const index = new LabelIndex('server');
    index.set(pod('a', 'p1', 'web'));
    index.set(pod('a', 'p2', 'web'));
    index.set(pod('a', 'p3', 'ca'));
    index.set(pod('b', 'p4', 'web'));
    index.set(pod('a', 'p5'));
    expect([...index.lookup('a', 'web')].sort()).toEqual(['p1', 'p2']);
    expect(index.lookup('a', 'ca')).toEqual(['p3']);
    expect(index.lookup('b', 'web')).toEqual(['p4']);
    expect(index.lookup('c', 'web')).toEqual([]);
  });

  it('moves an object whose label changed and forgets a deleted one', () => {
    const index = new LabelIndex('server');
    index.set(pod('a', 'p1', 'web'));
    index.set(pod('a', 'p1', 'api'));
    expect(index.lookup('a', 'web')).toEqual([]);
    expect(index.lookup('a', 'api')).toEqual(['p1']);
    index.set(pod('a', 'p1'));
    expect(index.lookup('a', 'api')).toEqual([]);
    index.set(pod('a', 'p1', 'web'));
    index.delete(pod('a', 'p1', 'web'));
    expect(index.lookup('a', 'web')).toEqual([]);
    index.delete(pod('a', 'never-seen', 'web'));
  });
});
