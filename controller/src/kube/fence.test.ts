import { FencedError, LeaderFence } from './fence.js';

function fence() {
  let holds = true;
  const closed: string[] = [];
  const f = new LeaderFence({ holdsLease: () => holds }, (reason) => closed.push(reason));
  return { f, closed, lose: () => (holds = false), regain: () => (holds = true) };
}

describe('LeaderFence', () => {
  it('refuses writes before leadership without closing', () => {
    const { f, closed } = fence();
    expect(() => f.check()).toThrow(new FencedError('not the leader'));
    expect(closed).toEqual([]);
    expect(f.signal.aborted).toBe(false);
  });

  it('passes writes while the lease is held', () => {
    const { f } = fence();
    f.open();
    expect(() => f.check()).not.toThrow();
  });

  it('closes for good on the first write after the lease lapsed, aborting requests in flight', () => {
    const { f, closed, lose, regain } = fence();
    f.open();
    lose();
    expect(() => f.check()).toThrow(FencedError);
    expect(f.signal.aborted).toBe(true);
    expect(f.signal.reason).toBeInstanceOf(FencedError);
    expect(closed).toEqual(['the lease was not renewed within the renew deadline']);
    // Renewed again or leading again: a deposed leader never writes again in this process.
    regain();
    f.open();
    expect(() => f.check()).toThrow(new FencedError('leadership was lost'));
    f.close('again');
    expect(closed).toHaveLength(1);
  });
});
