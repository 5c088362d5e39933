import { ApplyMemo } from './owned.js';
import { StatusMemo } from './status.js';

describe('ApplyMemo', () => {
  it('holds our hash until the informer delivers our version, or the TTL passes', () => {
    let now = 0;
    const memo = new ApplyMemo(() => now, 1000);
    memo.set('k', 'h1', '7');
    expect(memo.pending('k', '6')).toBe('h1'); // cache still shows the version before ours
    expect(memo.pending('k', '7')).toBeUndefined(); // the cache has our write
    memo.observe('k', '6');
    expect(memo.pending('k', '6')).toBe('h1');
    memo.observe('k', '7');
    expect(memo.pending('k', '6')).toBeUndefined();
    memo.set('k', 'h2', '9');
    now = 1001;
    expect(memo.pending('k', '8')).toBeUndefined();
  });
});

describe('StatusMemo', () => {
  it('answers with our written status until the cache shows our version', () => {
    const memo = new StatusMemo(() => 0);
    const obj = (rv: string, status: unknown) => ({
      metadata: { name: 'a', namespace: 'n', resourceVersion: rv },
      status,
    });
    memo.wrote(obj('1', { phase: 'Pending' }), { phase: 'Running' }, '2');
    expect(memo.current(obj('1', { phase: 'Pending' }))).toEqual({ phase: 'Running' });
    expect(memo.current(obj('2', { phase: 'Running' }))).toEqual({ phase: 'Running' });
    memo.observe('n/a', '2');
    expect(memo.current(obj('3', { phase: 'Error' }))).toEqual({ phase: 'Error' });
  });
});
