import { FakeClock } from './clock.js';
import { WorkQueue } from './queue.js';

const flush = () => new Promise<void>((r) => setImmediate(r));

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('WorkQueue', () => {
  it('deduplicates keys added before they run', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, concurrency: 2 });
    const seen: string[] = [];
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    q.start(async (k) => void seen.push(k));
    await q.idle();
    expect(seen).toEqual(['a', 'b']);
  });

  it('never runs one key twice at once and reruns a key re-added while running', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, concurrency: 4 });
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const gate = deferred();
    q.start(async () => {
      active++;
      runs++;
      maxActive = Math.max(maxActive, active);
      if (runs === 1) await gate.promise;
      active--;
    });
    q.add('k');
    await flush();
    q.add('k');
    q.add('k');
    await flush();
    expect(maxActive).toBe(1);
    gate.resolve();
    await q.idle();
    await flush();
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
  });

  it('bounds concurrency', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, concurrency: 3 });
    let active = 0;
    let maxActive = 0;
    const gates = new Map<string, ReturnType<typeof deferred>>();
    for (let i = 0; i < 10; i++) gates.set(`k${i}`, deferred());
    q.start(async (k) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await gates.get(k)!.promise;
      active--;
    });
    for (const k of gates.keys()) q.add(k);
    await flush();
    expect(active).toBe(3);
    expect(q.depth()).toBe(7);
    for (const g of gates.values()) g.resolve();
    await q.idle();
    expect(maxActive).toBe(3);
  });

  it('retries failures with exponential backoff and resets after success', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, concurrency: 1, baseDelayMs: 100, maxDelayMs: 1000 });
    const times: number[] = [];
    let failuresLeft = 5;
    q.start(async () => {
      times.push(clock.now());
      if (failuresLeft-- > 0) throw new Error('boom');
    });
    q.add('x');
    await flush();
    for (let i = 0; i < 80; i++) {
      clock.advance(50);
      await flush();
    }
    // Delays 100, 200, 400, 800, then capped at 1000.
    expect(times).toEqual([0, 100, 300, 700, 1500, 2500]);
    expect(q.failureCount('x')).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('does not start before start() and honours requeueAfterMs', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, concurrency: 1 });
    const seen: number[] = [];
    q.add('a');
    await flush();
    expect(q.depth()).toBe(1);
    let first = true;
    q.start(async () => {
      seen.push(clock.now());
      if (first) {
        first = false;
        return { requeueAfterMs: 5000 };
      }
    });
    await flush();
    clock.advance(4999);
    await flush();
    expect(seen).toEqual([0]);
    clock.advance(1);
    await flush();
    expect(seen).toEqual([0, 5000]);
  });

  it('an add cancels a pending delayed retry and runs the key now', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, concurrency: 1, baseDelayMs: 1000 });
    const seen: number[] = [];
    let fail = true;
    q.start(async () => {
      seen.push(clock.now());
      if (fail) {
        fail = false;
        throw new Error('once');
      }
    });
    q.add('a');
    await flush();
    clock.advance(10);
    q.add('a');
    await q.idle();
    expect(seen).toEqual([0, 10]);
    expect(clock.pending()).toBe(0);
  });

  it('idle() after pause() waits only for running handlers, so shutdown cannot hang on queued keys', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, concurrency: 1 });
    const gate = deferred();
    const seen: string[] = [];
    q.start(async (k) => {
      seen.push(k);
      await gate.promise;
    });
    q.add('a');
    q.add('b');
    await flush();
    q.pause();
    let idle = false;
    void q.idle().then(() => (idle = true));
    await flush();
    expect(idle).toBe(false);
    gate.resolve();
    await flush();
    expect(idle).toBe(true);
    expect(seen).toEqual(['a']);
    expect(q.depth()).toBe(1);
  });
});
